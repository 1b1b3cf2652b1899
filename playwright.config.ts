import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: /.*\.(spec|setup)\.ts$/,
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { launchOptions: chromium() } },
    {
      name: "chromium",
      dependencies: ["setup"],
      testMatch: /.*\.spec\.ts$/,
      use: { ...devices["Desktop Chrome"], launchOptions: chromium() },
    },
  ],
  webServer: {
    command: "npx tsx server.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      PORT: String(port),
      NODE_ENV: "production",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "postgres://wangge:wangge@127.0.0.1:54329/wangge_e2e",
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "e2e-secret-e2e-secret-e2e-secret",
      NEXTAUTH_URL: baseURL,
    },
  },
});

function chromium() {
  // Debian's Chromium; Playwright's own browser download is not available here.
  return {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  };
}
