import { describe, expect, it } from "vitest";
import { translator } from "../i18n/core";
import { commonMessages } from "../i18n/messages/common";
import { canOpen, isRole, pageForPath, roleLabel } from "./roles";

describe("roles", () => {
  it("lets only planners and admins open the grid table", () => {
    expect(canOpen("planner", "grids")).toBe(true);
    expect(canOpen("admin", "grids")).toBe(true);
    expect(canOpen("commander", "grids")).toBe(false);
    expect(canOpen("worker", "grids")).toBe(false);
    expect(canOpen("commander", "gridDetail")).toBe(true);
  });

  it("lets only planners and admins open the planner", () => {
    expect(canOpen("planner", "plans")).toBe(true);
    expect(canOpen("admin", "plans")).toBe(true);
    expect(canOpen("commander", "plans")).toBe(false);
    expect(canOpen("worker", "plans")).toBe(false);
    expect(pageForPath("/plans")).toBe("plans");
    expect(pageForPath("/plans/7")).toBe("plans");
    expect(pageForPath("/plans/7/compare")).toBe("plans");
    expect(pageForPath("/plansx")).toBeUndefined();
  });

  it("keeps user management for admins", () => {
    expect(canOpen("admin", "adminUsers")).toBe(true);
    for (const role of ["planner", "commander", "worker"] as const) expect(canOpen(role, "adminUsers")).toBe(false);
  });

  it("maps paths to pages", () => {
    expect(pageForPath("/")).toBe("overview");
    expect(pageForPath("/grids")).toBe("grids");
    expect(pageForPath("/grids/12")).toBe("gridDetail");
    expect(pageForPath("/admin/users")).toBe("adminUsers");
    expect(pageForPath("/resident")).toBeUndefined();
    expect(pageForPath("/login")).toBeUndefined();
  });

  it("labels roles in both languages and rejects unknown roles", () => {
    expect(roleLabel(translator(commonMessages, "zh-CN"), "commander")).toBe("指挥中心");
    expect(roleLabel(translator(commonMessages, "en"), "planner")).toBe("Planner");
    expect(isRole("resident")).toBe(false);
  });
});
