import { authFile, expect, test } from "./fixtures";
import { LoginPage } from "./pages/login-page";

test.describe("planner", () => {
  test.use({ storageState: authFile("planner") });

  test("sees the grids table of the active plan", async ({ consolePage }) => {
    await consolePage.goto("/grids");
    await expect(consolePage.gridsTable).toBeVisible();
    const rows = consolePage.gridsTable.locator("tbody tr[data-grid-id]");
    expect(await rows.count()).toBeGreaterThan(0);
    await expect(consolePage.gridsTable.locator("thead")).toContainText("偏差");
    await expect(consolePage.userRole).toHaveText("规划员");
    await expect(consolePage.navLink("网格")).toHaveAttribute("aria-current", "page");
    await expect(consolePage.navLink("用户管理")).toHaveCount(0);
  });

  test("sorts the grids by deviation and selects a grid through ?grid=", async ({ page, consolePage }) => {
    await consolePage.goto("/grids?sort=deviation_desc");
    const values = await consolePage.gridsTable
      .getByTestId("deviation")
      .allTextContents()
      .then((texts) => texts.map((text) => Number(text.replace(/[%,+]/g, ""))));
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const first = consolePage.gridsTable.locator("tbody tr[data-grid-id]").first();
    const gridId = await first.getAttribute("data-grid-id");
    await first.locator("td").nth(1).click();
    await expect(page).toHaveURL(new RegExp(`[?&]grid=${gridId}(&|$)`));
    await expect(first).toHaveAttribute("aria-selected", "true");
  });

  test("opens a grid's detail with its team", async ({ page, consolePage }) => {
    await consolePage.goto("/grids");
    await consolePage.gridsTable.getByRole("link", { name: "详情" }).first().click();
    await expect(page).toHaveURL(/\/grids\/\d+\?grid=\d+/);
    await expect(page.getByTestId("grid-detail")).toContainText("目标户数");
    await expect(page.getByTestId("grid-team")).toContainText("网格团队");
  });

  test("is refused the admin users page", async ({ page, consolePage }) => {
    const response = await consolePage.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(consolePage.forbidden).toContainText("无权访问");
    await expect(page.getByTestId("users-table")).toHaveCount(0);
  });
});

test.describe("commander", () => {
  test.use({ storageState: authFile("commander") });

  test("is refused /grids with the 403 page", async ({ page, consolePage }) => {
    const response = await consolePage.goto("/grids");
    expect(response?.status()).toBe(403);
    await expect(page).toHaveURL(/\/grids$/);
    await expect(consolePage.forbidden).toContainText("无权访问");
    await expect(consolePage.forbidden).toContainText("指挥中心");
    await expect(consolePage.gridsTable).toHaveCount(0);
    await expect(consolePage.navLink("网格")).toHaveCount(0);
  });

  test("is refused the admin users page", async ({ consolePage }) => {
    const response = await consolePage.goto("/admin/users");
    expect(response?.status()).toBe(403);
    await expect(consolePage.forbidden).toContainText("无权访问");
    await expect(consolePage.usersTable).toHaveCount(0);
  });

  test("sees the overview figures and the stations list", async ({ consolePage }) => {
    await consolePage.goto("/");
    await expect(consolePage.overviewStats).toBeVisible();
    await expect(consolePage.page.getByTestId("stat-stations")).toContainText("服务站");
    await consolePage.navLink("服务站").click();
    await expect(consolePage.stationsTable).toBeVisible();
    expect(await consolePage.stationsTable.locator("tbody tr").count()).toBeGreaterThan(0);
  });

  test("gets a Chinese 404 for a building that does not exist", async ({ consolePage }) => {
    await consolePage.goto("/buildings/999999999");
    await expect(consolePage.notFound).toContainText("页面不存在");
  });
});

test.describe("admin", () => {
  test.use({ storageState: authFile("admin") });

  test("adds a user with per-field validation and deactivates it", async ({ browser, page, consolePage }) => {
    await consolePage.goto("/admin/users");
    await expect(consolePage.usersTable).toBeVisible();
    const form = page.getByTestId("create-user-form");
    const username = `e2e.${Date.now().toString(36)}`;

    await form.getByLabel("用户名").fill("X");
    await form.getByLabel("姓名").fill("测试用户");
    await form.getByLabel("初始密码").fill("short");
    await form.getByRole("button", { name: "新增用户" }).click();
    await expect(form).toContainText("用户名须为 3–32 位小写字母、数字、点、下划线或连字符。");
    await expect(form).toContainText("密码至少 10 位。");

    await form.getByLabel("用户名").fill(username);
    await form.getByLabel("角色").selectOption("worker");
    await form.getByLabel("初始密码").fill("E2e-password-2026");
    await form.getByRole("button", { name: "新增用户" }).click();
    await expect(form).toContainText(`已新增用户 ${username}。`);
    const row = consolePage.usersTable.locator(`tr[data-username="${username}"]`);
    await expect(row).toContainText("网格员");
    await expect(row).toContainText("启用");

    page.once("dialog", (dialog) => dialog.accept());
    await row.getByRole("button", { name: "停用" }).click();
    await expect(row).toContainText("已停用");

    // the deactivated account can no longer sign in, and is told why (only after the right password)
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const loginPage = new LoginPage(await anonymous.newPage());
    await loginPage.goto();
    await loginPage.login(username, "E2e-password-2026");
    await expect(loginPage.error).toHaveText("该账号已停用，请联系系统管理员。");
    await anonymous.close();
  });
});
