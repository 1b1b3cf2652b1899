import { expect, test } from "./fixtures";
import { DEMO_PASSWORD } from "./pages/login-page";

test.describe("login", () => {
  test("a wrong password shows the error and stays on the login page", async ({ page, loginPage }) => {
    await loginPage.goto();
    await loginPage.login("planner", "wrong-password-123");
    await expect(loginPage.error).toHaveText("用户名或密码不正确。");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("top-bar")).toHaveCount(0);
  });

  test("an unknown user gets the same error as a wrong password", async ({ loginPage }) => {
    await loginPage.goto();
    await loginPage.login("nobody-here", DEMO_PASSWORD);
    await expect(loginPage.error).toHaveText("用户名或密码不正确。");
  });

  test("a logged-out visit to / redirects to /login", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "登录网格治理平台" })).toBeVisible();
  });

  test("logging in returns to the page asked for (callbackUrl)", async ({ page, loginPage, consolePage }) => {
    await page.goto("/stations");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fstations/);
    await loginPage.login("commander", DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/stations");
    await expect(consolePage.stationsTable).toBeVisible();
  });

  test("an absolute callbackUrl cannot send the user to another site", async ({ page, loginPage }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("https://evil.example/")}`);
    await loginPage.login("worker", DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/");
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL ?? page.url()).host);
  });

  test("signing out returns to the login page and closes the console", async ({ page, loginPage, consolePage }) => {
    await loginPage.goto();
    await loginPage.login("worker", DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/");
    await consolePage.signOut.click();
    await page.waitForURL(/\/login/);
    await page.goto("/stations");
    await expect(page).toHaveURL(/\/login/);
  });
});
