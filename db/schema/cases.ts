import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { adminAreas } from "./admin";
import { createdAt, geometry, updatedAt } from "./columns";
import { grids } from "./grids";
import { users } from "./users";

/** The closed loop: 受理 → 立案/不予立案 → 派单 → 接单 → 处置 → 办结 → 核查 → 评价 → 销号. */
export const caseStatus = pgEnum("case_status", [
  "received",
  "rejected",
  "registered",
  "dispatched",
  "accepted",
  "in_progress",
  "resolved",
  "verified",
  "rated",
  "closed",
]);

export const cases = pgTable(
  "cases",
  {
    id: serial().primaryKey(),
    trackingCode: text().notNull(),
    categoryCode: text().notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    status: caseStatus().notNull().default("received"),
    location: geometry("location", "Point").notNull(),
    gridId: integer().references(() => grids.id, { onDelete: "set null" }),
    communityId: integer().references(() => adminAreas.id, { onDelete: "set null" }),
    reporterPhone: text(),
    dueAt: timestamp({ withTimezone: true }),
    /** Optimistic concurrency: writers send the version they saw. */
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("cases_tracking_code_key").on(t.trackingCode),
    index("cases_status_idx").on(t.status),
    index("cases_grid_idx").on(t.gridId),
    index("cases_location_gist").using("gist", t.location),
    check("cases_version_positive", sql`${t.version} > 0`),
  ],
);

/** Append-only case timeline. */
export const caseEvents = pgTable(
  "case_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    caseId: integer()
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    actorUserId: integer().references(() => users.id),
    actorRole: text().notNull(),
    fromStatus: caseStatus(),
    toStatus: caseStatus().notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_events_case_idx").on(t.caseId, t.at)],
);

export type Case = typeof cases.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
