import type { Locator, Page } from "@playwright/test";

/** The login page (app/(auth)/login). */
export class LoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly residentLink: Locator;

  constructor(readonly page: Page) {
    this.username = page.locator("#login-username");
    this.password = page.locator("#login-password");
    this.submit = page.getByTestId("login-form").locator("button[type=submit]");
    this.error = page.getByTestId("login-error");
    this.residentLink = page.getByTestId("resident-link");
  }

  async goto(callbackUrl?: string) {
    await this.page.goto(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
  }

  async login(username: string, password: string) {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export const DEMO_PASSWORD = "Wangge@2026";
