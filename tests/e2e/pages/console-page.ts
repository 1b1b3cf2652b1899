import type { Locator, Page } from "@playwright/test";

/** The console shell (app/(console)/layout.tsx) and its panels. */
export class ConsolePage {
  readonly topBar: Locator;
  readonly nav: Locator;
  readonly userRole: Locator;
  readonly localeSwitch: Locator;
  readonly signOut: Locator;
  readonly forbidden: Locator;
  readonly notFound: Locator;
  readonly overviewStats: Locator;
  readonly gridsTable: Locator;
  readonly stationsTable: Locator;
  readonly usersTable: Locator;

  constructor(readonly page: Page) {
    this.topBar = page.getByTestId("top-bar");
    this.nav = page.getByTestId("main-nav");
    this.userRole = page.getByTestId("user-role");
    this.localeSwitch = page.getByTestId("locale-switch");
    this.signOut = page.getByTestId("sign-out");
    this.forbidden = page.getByTestId("forbidden");
    this.notFound = page.getByTestId("not-found");
    this.overviewStats = page.getByTestId("overview-stats");
    this.gridsTable = page.getByTestId("grids-table");
    this.stationsTable = page.getByTestId("stations-table");
    this.usersTable = page.getByTestId("users-table");
  }

  async goto(path = "/") {
    return this.page.goto(path);
  }

  /** A nav link by its exact label ("网格" is not "网格规划"). */
  navLink(name: string | RegExp): Locator {
    return this.nav.getByRole("link", { name, exact: typeof name === "string" });
  }
}
