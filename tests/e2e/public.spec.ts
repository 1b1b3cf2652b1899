import { expect, test } from "./fixtures";

test.describe("resident page", () => {
  test("loads without login and lists the nearest stations", async ({ page }) => {
    const response = await page.goto("/resident");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/resident/);
    await expect(page.getByRole("heading", { name: "附近服务站" })).toBeVisible();
    const cards = page.getByTestId("station-card");
    await expect(cards.first()).toBeVisible();
    const distances = await page
      .locator(".station-distance")
      .allTextContents()
      .then((texts) =>
        texts.map((text) => {
          const value = Number(text.replace(/[^0-9.]/g, ""));
          return text.includes("公里") ? value * 1000 : value;
        }),
      );
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  test("is linked from the login page", async ({ page }) => {
    await page.goto("/login");
    await page.getByTestId("resident-link").click();
    await expect(page).toHaveURL(/\/resident/);
  });

  test("fits a phone screen without horizontal scrolling", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto("/resident");
    await expect(page.getByTestId("station-card").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
