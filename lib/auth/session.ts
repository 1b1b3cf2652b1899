import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { db } from "@/db";
import { getUserById } from "@/lib/users/queries";
import { authOptions } from "./config";
import { isRole, type Role } from "./roles";

export type SessionUser = { id: number; name: string; role: Role };

/**
 * The signed-in user, re-read from the database once per request: a deactivated user or a changed role takes effect
 * at once instead of when the 12-hour token expires. Undefined when nobody is signed in.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | undefined> => {
  const session = await getServerSession(authOptions);
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return undefined;
  const user = await getUserById(db, id);
  if (!user?.active || !isRole(user.role)) return undefined;
  return { id: user.id, name: user.displayName, role: user.role };
});
