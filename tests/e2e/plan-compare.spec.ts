import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { authFile, expect, HAN, test } from "./fixtures";

/**
 * Issue 3 — drafts, comparison, history, print: a planner partitions one community at 200 households through the
 * API, compares the draft with the active plan (table + swipe by mouse and touch), exports the wall map as PNG and
 * PDF, and looks at today's grids in the history. Screenshots of every view in zh-CN and en go to the test output.
 */
test.use({ storageState: authFile("planner") });
test.describe.configure({ mode: "serial" });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const LOCALES = ["zh-CN", "en"] as const;

let planId = 0;
let gridCount = 0;

async function setLocale(page: Page, baseURL: string | undefined, locale: string) {
  await page.context().addCookies([{ name: "wangge-locale", value: locale, url: baseURL }]);
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

test("a planner partitions a community at 200 households (draft through the API)", async ({ page }) => {
  test.setTimeout(180_000);
  const communities = (await (await page.request.get("/api/communities")).json()) as Array<{
    id: number;
    code: string;
    households: number;
  }>;
  expect(communities.length).toBeGreaterThan(0);
  // the smallest community by households keeps the run short
  const community = [...communities].sort((a, b) => a.households - b.households)[0];
  const response = await page.request.post("/api/plans/auto-partition", {
    data: { communities: [community?.code], target: 200, seed: 7, wait: true },
    timeout: 150_000,
  });
  expect(response.status(), await response.text()).toBe(201);
  planId = ((await response.json()) as { planId: number }).planId;
  const detail = (await (await page.request.get(`/api/plans/${planId}`)).json()) as { grids: unknown[] };
  gridCount = detail.grids.length;
  expect(gridCount).toBeGreaterThan(1);
});

test("compare: the table lists the draft's grids and the swipe divider follows mouse and touch", async ({
  page,
  baseURL,
}) => {
  // four full page loads with two WebGL maps each: generous on a shared, loaded machine
  test.setTimeout(240_000);
  expect(planId).toBeGreaterThan(0);
  await page.setViewportSize(DESKTOP);
  await setLocale(page, baseURL, "zh-CN");
  await page.goto(`/plans/${planId}/compare`);
  const table = page.getByTestId("compare-table");
  await expect(table.locator("tbody tr")).toHaveCount(gridCount);
  await expect(page.getByTestId("summary-grids")).toContainText(`→ ${gridCount}`);

  // the second map draws the draft's grids
  await expect
    .poll(() => page.evaluate(() => window.__compareMap?.querySourceFeatures("compare-plan").length ?? 0), {
      timeout: 45_000,
    })
    .toBeGreaterThan(0);

  // mouse drag: the divider and the clip follow the pointer
  const bar = page.getByTestId("swipe-bar");
  await expect(bar).toBeVisible({ timeout: 45_000 });
  const startX = Number(await bar.getAttribute("data-x"));
  const box = await bar.boundingBox();
  if (!box) throw new Error("no swipe bar box");
  const y = box.y + box.height * 0.38;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 100, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Number(await bar.getAttribute("data-x"))).toBeCloseTo(startX - 100, 0);
  await expect(page.getByTestId("swipe-layer")).toHaveAttribute(
    "style",
    new RegExp(`inset\\(0px 0px 0px ${startX - 100}px\\)`),
  );
  // the console map did not pan while the divider was dragged
  const mapMoved = await page.evaluate(() => window.__consoleMap?.isMoving() ?? false);
  expect(mapMoved).toBe(false);

  // touch drag through Chromium's touch input (leftwards: the layer panel sits over the map's right edge)
  const cdp = await page.context().newCDPSession(page);
  const touchX = box.x + box.width / 2 - 100;
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: touchX, y }] });
  for (let step = 1; step <= 5; step++)
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: touchX - step * 20, y }] });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect.poll(async () => Number(await bar.getAttribute("data-x"))).toBeCloseTo(startX - 200, 0);

  // keyboard
  await bar.focus();
  await page.keyboard.press("Home");
  await expect(bar).toHaveAttribute("data-x", "0");
  await page.keyboard.press("ArrowRight");
  expect(Number(await bar.getAttribute("data-x"))).toBeGreaterThan(0);

  // attribution stays visible over the swipe
  await expect(page.locator(".maplibregl-ctrl-attrib")).toContainText("OpenStreetMap");
  await expect(page.locator(".maplibregl-ctrl-attrib")).toBeInViewport();

  // a row click fits the map to that grid and selects the row
  const before = await page.evaluate(() => window.__consoleMap?.getCenter().toArray());
  const row = table.locator("tbody tr").nth(Math.floor(gridCount / 2));
  await row.click();
  await expect(row).toHaveAttribute("aria-selected", "true");
  await expect
    .poll(() => page.evaluate(() => window.__consoleMap?.getCenter().toArray()), { timeout: 15_000 })
    .not.toEqual(before);
  await page.keyboard.press("End");

  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    for (const locale of LOCALES) {
      await setLocale(page, baseURL, locale);
      await page.goto(`/plans/${planId}/compare`);
      await expect(table.locator("tbody tr")).toHaveCount(gridCount);
      await expect(bar).toBeVisible({ timeout: 45_000 });
      await expect
        .poll(() => page.evaluate(() => window.__compareMap?.loaded() ?? false), { timeout: 45_000 })
        .toBe(true);
      await page.waitForTimeout(500);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (locale === "en") {
        // the plan, community and grid names are data; every UI word must be English
        const chrome = [
          page.locator("section.panel .panel-toolbar"),
          page.getByTestId("compare-summary"),
          page.getByTestId("compare-table").locator("thead"),
          page.getByTestId("compare-table").locator("tbody td:last-child"),
          page.locator("section.panel .panel-footer"),
          page.getByTestId("swipe-bar"),
        ];
        for (const part of chrome) for (const text of await part.allTextContents()) expect(text).not.toMatch(HAN);
      }
      await screenshot(page, `compare-${locale}-${viewport.width}`);
    }
  }
});

test("print: export PNG and PDF of the draft's wall map", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  expect(planId).toBeGreaterThan(0);
  await page.setViewportSize(DESKTOP);
  for (const locale of LOCALES) {
    await setLocale(page, baseURL, locale);
    await page.goto(`/plans/${planId}/print`);
    await expect(page.getByTestId("print-sheet")).toHaveAttribute("data-ready", "true", { timeout: 60_000 });
    await expect(page.getByTestId("print-table").locator("tbody tr")).toHaveCount(gridCount);
    if (locale === "en")
      for (const part of [page.getByTestId("print-toolbar"), page.getByTestId("print-table").locator("thead")])
        expect(await part.textContent()).not.toMatch(HAN);
    await screenshot(page, `print-${locale}-1440`);
  }

  // the browser's print: the toolbar is hidden, the sheet stays
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("print-toolbar")).toBeHidden();
  await expect(page.getByTestId("print-sheet")).toBeVisible();
  await screenshot(page, "print-media");
  await page.emulateMedia({ media: "screen" });

  const pngDownload = page.waitForEvent("download");
  await page.getByTestId("export-png").click();
  const png = await pngDownload;
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const pngBytes = readFileSync(await png.path());
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(pngBytes.readUInt32BE(16)).toBe(2246); // IHDR width: the A4 sheet at twice its CSS size
  expect(pngBytes.length).toBeGreaterThan(50_000);
  await png.saveAs(test.info().outputPath("export.png"));

  const pdfDownload = page.waitForEvent("download");
  await page.getByTestId("export-pdf").click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const pdfBytes = readFileSync(await pdf.path());
  expect(pdfBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdfBytes.toString("latin1")).toContain("/Filter /DCTDecode");
  expect(pdfBytes.toString("latin1").trimEnd().endsWith("%%EOF")).toBe(true);
  await pdf.saveAs(test.info().outputPath("export.pdf"));
});

test("history: today's grids are shown on the map", async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    for (const locale of LOCALES) {
      await setLocale(page, baseURL, locale);
      await page.goto("/plans/history");
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
      await expect(page.getByTestId("history-date")).toHaveValue(today);
      const status = page.getByTestId("history-status");
      await expect(status).toHaveAttribute("data-status", "ok", { timeout: 45_000 });
      expect(Number(await status.getAttribute("data-count"))).toBeGreaterThan(0);
      await expect
        .poll(
          () =>
            page.evaluate(() =>
              window.__consoleMap?.getSource("history-grids")
                ? window.__consoleMap.querySourceFeatures("history-grids").length
                : 0,
            ),
          { timeout: 45_000 },
        )
        .toBeGreaterThan(0);
      await expect(page.getByTestId("history-plans").locator("li").first()).toBeVisible();
      if (locale === "en")
        for (const part of [
          page.locator("section.panel .panel-header"),
          page.locator("section.panel .panel-toolbar"),
          status,
          page.getByTestId("history-plans").getByRole("button"),
          page.locator("section.panel .panel-footer"),
        ])
          for (const text of await part.allTextContents()) expect(text).not.toMatch(HAN);
      await page.waitForTimeout(800);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `history-${locale}-${viewport.width}`);
    }
  }
});

test.describe("other roles", () => {
  test.use({ storageState: authFile("commander") });

  test("a commander may not open compare, print or history", async ({ page }) => {
    for (const path of ["/plans/1/compare", "/plans/1/print", "/plans/history"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByTestId("forbidden")).toBeVisible();
    }
  });
});
