import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";

export type UserRow = Pick<
  typeof users.$inferSelect,
  "id" | "username" | "displayName" | "role" | "active" | "createdAt"
>;

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.active), asc(users.role), asc(users.username));
}

/** The user with its password hash, for the login check only. */
export async function getUserForLogin(db: Db, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return row;
}

/** The current state of a signed-in user (a deactivated or deleted user loses access at once). */
export async function getUserById(db: Db, id: number) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}
