export { authOptions } from "./config";
export { type ApiAuth, requireApiRole, requireRole } from "./require-role";
export { getSessionUser, type SessionUser } from "./session";
