import { authFile, expect, test } from "./fixtures";

test.use({ storageState: authFile("planner") });

for (const viewport of [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
]) {
  test(`console shell fits ${viewport.name} (${viewport.width}×${viewport.height}) with nothing cut off`, async ({
    page,
    consolePage,
    baseURL,
  }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const locale of ["zh-CN", "en"]) {
      await page.context().addCookies([{ name: "wangge-locale", value: locale, url: baseURL }]);
      await consolePage.goto("/grids");
      await expect(consolePage.gridsTable).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      for (const control of [consolePage.signOut, consolePage.localeSwitch, consolePage.navLink(/./).first()]) {
        await expect(control).toBeInViewport({ ratio: 1 });
      }
      // no label in the top bar is clipped: every element's content fits its box
      const clipped = await consolePage.topBar.evaluate((bar) =>
        [...bar.querySelectorAll<HTMLElement>("a, button, span")]
          .filter((element) => element.offsetParent !== null && !element.closest(".visually-hidden"))
          .filter((element) => getComputedStyle(element).textOverflow !== "ellipsis")
          .filter((element) => element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0)
          .map((element) => element.textContent),
      );
      expect(clipped).toEqual([]);
    }
  });
}
