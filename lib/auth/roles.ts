import type { commonMessages } from "@/lib/i18n/messages/common";
import type { Translate } from "../i18n/core";

/** admin 系统管理员, planner 规划员, commander 指挥中心, worker 网格员 (same order as the `user_role` enum). */
export const ROLES = ["admin", "planner", "commander", "worker"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ALL_ROLES: readonly Role[] = ROLES;

/** Console pages and the roles that may open them; pages and the proxy both read this table. */
export const PAGE_ACCESS = {
  overview: ALL_ROLES,
  grids: ["planner", "admin"],
  gridDetail: ALL_ROLES,
  buildingDetail: ALL_ROLES,
  stations: ALL_ROLES,
  plans: ["planner", "admin"],
  adminUsers: ["admin"],
} as const satisfies Record<string, readonly Role[]>;
export type ConsolePage = keyof typeof PAGE_ACCESS;

export function canOpen(role: Role, page: ConsolePage): boolean {
  return (PAGE_ACCESS[page] as readonly Role[]).includes(role);
}

/** Which console page a pathname belongs to; undefined for paths outside the console. */
export function pageForPath(pathname: string): ConsolePage | undefined {
  if (pathname === "/") return "overview";
  if (pathname === "/grids") return "grids";
  if (/^\/grids\/[^/]+$/.test(pathname)) return "gridDetail";
  if (/^\/buildings\/[^/]+$/.test(pathname)) return "buildingDetail";
  if (pathname === "/stations") return "stations";
  if (pathname === "/plans" || pathname.startsWith("/plans/")) return "plans";
  if (pathname === "/admin" || pathname.startsWith("/admin/")) return "adminUsers";
  return undefined;
}

export function roleLabel(t: Translate<typeof commonMessages>, role: Role): string {
  return t(`role_${role}`);
}
