import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Role } from "./roles";
import { getSessionUser, type SessionUser } from "./session";

/** Header set by proxy.ts with the request's path and query, so a page can send the user back after login. */
export const REQUEST_PATH_HEADER = "x-wangge-path";

async function loginUrl(): Promise<string> {
  const path = (await headers()).get(REQUEST_PATH_HEADER);
  return path && path !== "/" && path.startsWith("/") && !path.startsWith("//")
    ? `/login?callbackUrl=${encodeURIComponent(path)}`
    : "/login";
}

/**
 * Server components and server actions: the signed-in user when their role is allowed (no roles = any signed-in role).
 * Nobody signed in → redirect to /login; a role that is not allowed → redirect to the 403 page.
 */
export async function requireRole(...roles: Role[]): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(await loginUrl());
  if (roles.length > 0 && !roles.includes(user.role)) redirect("/forbidden");
  return user;
}

export type ApiAuth = { ok: true; user: SessionUser } | { ok: false; response: Response };

/**
 * Route handlers: `{ ok: true, user }`, or a JSON 401 (nobody signed in) / 403 (role not allowed) response to return.
 * `const auth = await requireApiRole("planner"); if (!auth.ok) return auth.response;`
 */
export async function requireApiRole(...roles: Role[]): Promise<ApiAuth> {
  const user = await getSessionUser();
  if (!user) return { ok: false, response: Response.json({ error: "unauthorized" }, { status: 401 }) };
  if (roles.length > 0 && !roles.includes(user.role)) {
    return { ok: false, response: Response.json({ error: "forbidden" }, { status: 403 }) };
  }
  return { ok: true, user };
}
