import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

/** admin 系统管理员, planner 规划员, commander 指挥中心, worker 网格员. Residents use the public pages without an account. */
export const userRole = pgEnum("user_role", ["admin", "planner", "commander", "worker"]);

export const users = pgTable(
  "users",
  {
    id: serial().primaryKey(),
    username: text().notNull(),
    displayName: text().notNull(),
    /** scrypt$N$r$p$salt$hash — see lib/auth/password.ts. */
    passwordHash: text().notNull(),
    role: userRole().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_username_key").on(t.username)],
);

/** Append-only: a trigger refuses UPDATE and DELETE (migration 0002). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer().references(() => users.id),
    /** Role or system actor (`system:import`, `system:seed`). */
    actor: text().notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId), index("audit_log_at_idx").on(t.at)],
);

/** One row per import run; the file hash lets a re-import of the same file short-circuit. */
export const importRuns = pgTable("import_runs", {
  id: serial().primaryKey(),
  kind: text().notNull(),
  fileName: text().notNull(),
  sha256: text().notNull(),
  counts: jsonb().$type<Record<string, number>>().notNull().default({}),
  createdAt: createdAt(),
});

export type User = typeof users.$inferSelect;
export type UserRole = (typeof userRole.enumValues)[number];
export type AuditEntry = typeof auditLog.$inferSelect;
