import type { Page, Request } from "@playwright/test";
import { authFile, expect, HAN, test } from "./fixtures";

/**
 * The console map, asserted through `window.__consoleMap` (MapLibre's queryRenderedFeatures and feature-state), not
 * pixels. A missing canvas or WebGL context fails these tests; they are never skipped.
 */

const CENTRE = "z=16.5&lng=118.7790&lat=32.0435";

type RenderedFeature = { id: number; properties: Record<string, unknown> };

/** Hosts of every http(s) request the page makes (blob: and data: URLs stay in the page). */
function recordHosts(page: Page): Set<string> {
  const hosts = new Set<string>();
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.protocol === "http:" || url.protocol === "https:") hosts.add(url.host);
  });
  return hosts;
}

async function waitForMap(page: Page) {
  await expect(page.locator("canvas.maplibregl-canvas")).toBeVisible({ timeout: 30_000 });
  await page.waitForFunction(() => Boolean(window.__consoleMap?.isStyleLoaded()), null, { timeout: 30_000 });
  await page.waitForFunction(() => window.__consoleMap?.areTilesLoaded() === true, null, { timeout: 30_000 });
}

/** Rendered features of one layer in the current view. */
async function rendered(page: Page, layer: string): Promise<RenderedFeature[]> {
  return page.evaluate((layerId) => {
    const map = window.__consoleMap;
    if (!map?.getLayer(layerId)) return [];
    return map
      .queryRenderedFeatures({ layers: [layerId] })
      .map((feature) => ({ id: Number(feature.id), properties: feature.properties }));
  }, layer);
}

async function expectRendered(page: Page, layer: string) {
  await expect
    .poll(async () => (await rendered(page, layer)).length, { timeout: 20_000, message: layer })
    .toBeGreaterThan(0);
}

/**
 * A screen point (page coordinates) where the topmost interactive feature is of `layer` and passes `accept`, inside
 * the central part of the map so no panel covers it.
 */
async function findClickTarget(page: Page, layer: string, wantResidential: boolean) {
  return page.evaluate(
    ({ layerId, residential }) => {
      const map = window.__consoleMap;
      if (!map) return undefined;
      const canvas = map.getCanvas();
      const box = canvas.getBoundingClientRect();
      const interactive = ["stations-circle", "buildings-fill", "grids-fill"].filter((id) => map.getLayer(id));
      for (let y = box.height * 0.25; y < box.height * 0.85; y += 9) {
        for (let x = box.width * 0.32; x < box.width * 0.68; x += 9) {
          const top = map.queryRenderedFeatures([x, y], { layers: interactive })[0];
          if (!top || top.layer.id !== layerId) continue;
          if (residential && top.properties.residential !== true) continue;
          if (document.elementFromPoint(box.left + x, box.top + y) !== canvas) continue;
          return { x: box.left + x, y: box.top + y, id: Number(top.id), properties: top.properties };
        }
      }
      return undefined;
    },
    { layerId: layer, residential: wantResidential },
  );
}

test.describe("console map (planner)", () => {
  test.use({ storageState: authFile("planner") });

  test("renders basemap, grids and buildings from our own tiles; no request leaves the server", async ({
    page,
    baseURL,
  }) => {
    const hosts = recordHosts(page);
    const failedGlyphs: string[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/glyphs/") && response.status() !== 200) failedGlyphs.push(response.url());
    });
    await page.goto(`/?${CENTRE}`);
    await waitForMap(page);
    for (const layer of ["basemap-roads", "basemap-areas", "grids-fill", "grids-outline", "buildings-fill"]) {
      await expectRendered(page, layer);
    }
    const grids = await rendered(page, "grids-fill");
    expect(grids[0]?.properties).toEqual(
      expect.objectContaining({ code: expect.stringMatching(/^\d{16}$/), household_target: expect.any(Number) }),
    );
    expect(failedGlyphs).toEqual([]);
    expect([...hosts]).toEqual([new URL(baseURL ?? "http://127.0.0.1").host]);
    await expect(page.getByTestId("map-notice")).toHaveCount(0);
  });

  test("renders Chinese labels on the basemap and the map chrome in Chinese", async ({ page }) => {
    await page.goto(`/?${CENTRE}`);
    await waitForMap(page);
    await expect
      .poll(
        async () => (await rendered(page, "basemap-labels")).filter((f) => HAN.test(String(f.properties.name))).length,
      )
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (await rendered(page, "basemap-roads-label")).filter((f) => HAN.test(String(f.properties.name))).length,
      )
      .toBeGreaterThan(0);
    await expect(page.getByText("© OpenStreetMap contributors")).toBeVisible();
    await expect(page.locator(".maplibregl-ctrl-scale")).toBeVisible();
    await expect(page.getByRole("button", { name: "图层" })).toBeVisible();
    await expect(page.getByText("社区/街道边界")).toBeVisible();
  });

  test("hovering and clicking a building shows its households and whether they are estimated", async ({ page }) => {
    await page.goto("/?z=17&lng=118.7771&lat=32.0379");
    await waitForMap(page);
    await expectRendered(page, "buildings-fill");
    const target = await findClickTarget(page, "buildings-fill", true);
    expect(target, "a residential building in the middle of the map").toBeDefined();
    if (!target) return;
    await page.mouse.move(target.x, target.y);
    await expect(page.getByTestId("map-tooltip")).toContainText("户");
    await page.mouse.click(target.x, target.y);
    const panel = page.getByTestId("inspect-panel");
    await expect(panel).toHaveAttribute("data-kind", "building");
    await expect(panel.getByTestId("building-households")).toHaveText(
      `${Number(target.properties.households).toLocaleString("zh-CN")} 户`,
    );
    await expect(panel.getByTestId("households-source")).toHaveText(
      target.properties.households_source === "surveyed" ? "实测" : "估算",
    );
    await expect(page).toHaveURL(new RegExp(`[?&]building=${target.id}(&|$)`));
    const selected = await page.evaluate(
      (id) => window.__consoleMap?.getFeatureState({ source: "buildings", sourceLayer: "buildings", id }).selected,
      target.id,
    );
    expect(selected).toBe(true);
    await panel.getByRole("button", { name: "关闭详情" }).click();
    await expect(panel).toHaveCount(0);
  });

  test("?grid=<id> opens the grid panel and flies to the grid", async ({ page }) => {
    await page.goto(`/?${CENTRE}`);
    await waitForMap(page);
    await expectRendered(page, "grids-fill");
    const grid = (await rendered(page, "grids-fill"))[0];
    expect(grid).toBeDefined();
    if (!grid) return;
    await page.goto(`/?grid=${grid.id}`);
    await waitForMap(page);
    const panel = page.getByTestId("inspect-panel");
    await expect(panel).toHaveAttribute("data-kind", "grid");
    await expect(panel).toContainText(String(grid.properties.code));
    await expect(panel.getByTestId("grid-households")).toContainText(
      `/ ${Number(grid.properties.household_target).toLocaleString("zh-CN")} 户`,
    );
    await expect(panel).toContainText(/老旧小区|新建小区/);
    const details = await (await page.request.get(`/api/features/grids/${grid.id}`)).json();
    const [west, south, east, north] = details.bbox as [number, number, number, number];
    await expect
      .poll(() =>
        page.evaluate(() => {
          const map = window.__consoleMap;
          return map && !map.isMoving() ? map.getCenter().toArray() : undefined;
        }),
      )
      .toEqual([expect.any(Number), expect.any(Number)]);
    const centre = await page.evaluate(() => window.__consoleMap?.getCenter().toArray());
    // The map centres the grid beside the panel: the centre is near the grid (within its size again).
    const [lng, lat] = centre ?? [0, 0];
    expect(lng).toBeGreaterThan(west - (east - west) * 2);
    expect(lng).toBeLessThan(east + (east - west) * 2);
    expect(lat).toBeGreaterThan(south - (north - south) * 2);
    expect(lat).toBeLessThan(north + (north - south) * 2);
  });

  test("a tile refused after the session ends shows a Chinese notice instead of failing silently", async ({ page }) => {
    await page.goto(`/?${CENTRE}`);
    await waitForMap(page);
    await page.context().clearCookies();
    // New tiles elsewhere: the grids and buildings layers now answer 401.
    await page.evaluate(() => window.__consoleMap?.jumpTo({ center: [118.765, 32.05], zoom: 17 }));
    await expect(page.getByTestId("map-notice")).toContainText("登录已失效");
    await page.getByTestId("map-notice").getByRole("button", { name: "知道了" }).click();
    await expect(page.getByTestId("map-notice")).toHaveCount(0);
  });

  test("feature routes validate the id and answer 404 for a missing feature", async ({ page }) => {
    const bad = await page.request.get("/api/features/buildings/abc");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toMatch(/positive integer/);
    expect((await page.request.get("/api/features/grids/0")).status()).toBe(400);
    expect((await page.request.get("/api/features/buildings/999999999")).status()).toBe(404);
  });
});

test.describe("public map (no login)", () => {
  test("the resident page shows stations but no grids or buildings, and opens a station", async ({ page, baseURL }) => {
    const hosts = recordHosts(page);
    await page.goto("/resident?z=14.5&lng=118.7790&lat=32.0435");
    await waitForMap(page);
    await expectRendered(page, "stations-circle");
    await expectRendered(page, "basemap-roads");
    const protectedSources = await page.evaluate(() =>
      ["grids", "buildings"].filter((id) => window.__consoleMap?.getSource(id) !== undefined),
    );
    expect(protectedSources).toEqual([]);
    const station = (await rendered(page, "stations-circle"))[0];
    expect(station).toBeDefined();
    if (!station) return;
    await page.goto(`/resident?station=${station.id}`);
    await waitForMap(page);
    const panel = page.getByTestId("inspect-panel");
    await expect(panel).toHaveAttribute("data-kind", "station");
    await expect(panel).toContainText(String(station.properties.name));
    if (station.properties.is_demo === true) await expect(panel.getByTestId("station-demo")).toHaveText("演示数据");
    expect([...hosts]).toEqual([new URL(baseURL ?? "http://127.0.0.1").host]);
  });

  test("grid and building details need a session; station details are public", async ({ page }) => {
    expect((await page.request.get("/api/features/grids/1")).status()).toBe(401);
    expect((await page.request.get("/api/features/buildings/1")).status()).toBe(401);
    const stations = await page.request.get("/api/features/stations/999999999");
    expect(stations.status()).toBe(404);
  });
});
