import { test as base } from "@playwright/test";
import { ConsolePage } from "./pages/console-page";
import { LoginPage } from "./pages/login-page";

export const test = base.extend<{ loginPage: LoginPage; consolePage: ConsolePage }>({
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  consolePage: async ({ page }, use) => use(new ConsolePage(page)),
});

export { expect } from "@playwright/test";

/** storageState files written by auth.setup.ts (git-ignored). */
export const authFile = (role: "admin" | "planner" | "commander") => `playwright/.auth/${role}.json`;

/** Han characters (CJK Unified Ideographs), to assert that no Chinese is left in an English UI. */
export const HAN = /\p{Script=Han}/u;
