import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { CreateUserInput, DeactivateUserInput } from "./schemas";

export type Actor = { userId: number; role: Role };

export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username ${username} is taken`);
    this.name = "UsernameTakenError";
  }
}

export class UserNotFoundError extends Error {
  constructor(id: number) {
    super(`no active user ${id}`);
    this.name = "UserNotFoundError";
  }
}

export class SelfDeactivationError extends Error {
  constructor() {
    super("an admin cannot deactivate their own account");
    this.name = "SelfDeactivationError";
  }
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return (error as { code?: string })?.code === "23505" || cause?.code === "23505";
}

/** Creates a user with a hashed password and appends an audit row in the same transaction. */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput) {
  const data = CreateUserInput.parse(input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ username: data.username, displayName: data.displayName, role: data.role, passwordHash })
        .onConflictDoNothing({ target: users.username })
        .returning({ id: users.id, username: users.username, role: users.role });
      if (!created) throw new UsernameTakenError(data.username);
      await tx.insert(auditLog).values({
        actorUserId: actor.userId,
        actor: actor.role,
        action: "user.create",
        entity: "users",
        entityId: String(created.id),
        detail: { username: created.username, displayName: data.displayName, role: created.role },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UsernameTakenError(data.username);
    throw error;
  }
}

/** Deactivates an active user (never the actor themself) and appends an audit row in the same transaction. */
export async function deactivateUser(db: Db, actor: Actor, input: DeactivateUserInput) {
  const { userId } = DeactivateUserInput.parse(input);
  if (userId === actor.userId) throw new SelfDeactivationError();
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ active: false, updatedAt: sql`now()` })
      .where(and(eq(users.id, userId), eq(users.active, true)))
      .returning({ id: users.id, username: users.username, role: users.role });
    if (!updated) throw new UserNotFoundError(userId);
    await tx.insert(auditLog).values({
      actorUserId: actor.userId,
      actor: actor.role,
      action: "user.deactivate",
      entity: "users",
      entityId: String(updated.id),
      detail: { username: updated.username, role: updated.role },
    });
    return updated;
  });
}
