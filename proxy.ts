import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { canOpen, isRole, pageForPath } from "@/lib/auth/roles";

/** Same name as REQUEST_PATH_HEADER in lib/auth/require-role.ts (kept literal: that module is server-only). */
const REQUEST_PATH_HEADER = "x-wangge-path";

/**
 * Early, cheap routing only: anonymous visitors of console pages go to /login, a role that may not open a page sees
 * the 403 page under the same URL. The authoritative check is `requireRole` in every page, action and handler.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(REQUEST_PATH_HEADER, pathname + search);

  const page = pageForPath(pathname);
  if (page) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token?.sub || !isRole(token.role)) {
      const login = new URL("/login", request.url);
      if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
      return NextResponse.redirect(login);
    }
    if (!canOpen(token.role, page)) {
      return NextResponse.rewrite(new URL("/forbidden", request.url), {
        status: 403,
        request: { headers: requestHeaders },
      });
    }
  }
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  // Pages only: API routes (tiles, auth, features) check roles themselves; static files and assets pass untouched.
  matcher: ["/((?!api/|_next/|glyphs/|favicon\\.ico|.*\\.(?:png|svg|jpg|ico|webp|pbf|json|txt|css|js)$).*)"],
};
