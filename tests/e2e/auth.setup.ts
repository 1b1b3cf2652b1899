import { expect, test as setup } from "@playwright/test";
import { authFile } from "./fixtures";
import { DEMO_PASSWORD, LoginPage } from "./pages/login-page";

for (const role of ["planner", "commander", "admin"] as const) {
  setup(`log in as ${role}`, async ({ page }) => {
    const loginPage = new LoginPage(page);
    await loginPage.goto();
    await loginPage.login(role, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/");
    await expect(page.getByTestId("top-bar")).toBeVisible();
    await page.context().storageState({ path: authFile(role) });
  });
}
