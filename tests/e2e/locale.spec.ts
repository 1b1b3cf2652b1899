import { authFile, expect, HAN, test } from "./fixtures";

test.use({ storageState: authFile("planner") });

test("switching to English changes the top bar and leaves no Chinese in the nav, and back", async ({ consolePage }) => {
  await consolePage.goto("/grids");
  await expect(consolePage.navLink("网格")).toBeVisible();
  await expect(consolePage.userRole).toHaveText("规划员");

  await consolePage.localeSwitch.click();
  await expect(consolePage.navLink("Grids")).toBeVisible();
  await expect(consolePage.userRole).toHaveText("Planner");
  await expect(consolePage.signOut).toHaveText("Sign out");
  await expect(consolePage.localeSwitch).toHaveText("中文");
  expect((await consolePage.nav.textContent()) ?? "").not.toMatch(HAN);
  await expect(consolePage.gridsTable.locator("thead")).toContainText("Deviation");
  expect((await consolePage.gridsTable.locator("thead").textContent()) ?? "").not.toMatch(HAN);
  await expect(consolePage.page.locator("html")).toHaveAttribute("lang", "en");

  // the choice is a cookie: it survives a reload
  await consolePage.page.reload();
  await expect(consolePage.navLink("Overview")).toBeVisible();

  await consolePage.localeSwitch.click();
  await expect(consolePage.navLink("网格")).toBeVisible();
  await expect(consolePage.userRole).toHaveText("规划员");
  await expect(consolePage.signOut).toHaveText("退出登录");
  expect((await consolePage.nav.textContent()) ?? "").not.toMatch(/[A-Za-z]/);
  await expect(consolePage.page.locator("html")).toHaveAttribute("lang", "zh-CN");
});

test("the login page switches language too", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByTestId("locale-switch").click();
  await expect(page.getByRole("heading", { name: "Sign in to the grid console" })).toBeVisible();
  await expect(page.getByTestId("login-form").locator("button[type=submit]")).toHaveText("Sign in");
  await context.close();
});
