import { sql } from "drizzle-orm";
import {
  bigint,
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
import { createdAt, geometry, geometry3857, updatedAt } from "./columns";
import { users } from "./users";

export const planStatus = pgEnum("plan_status", ["draft", "active", "archived"]);
/** 老旧小区 (old, ≈200 households per grid) / 新建小区 (new, ≈500). */
export const estateKind = pgEnum("estate_kind", ["old", "new"]);

/** A versioned set of grids for one or more communities. */
export const plans = pgTable("plans", {
  id: serial().primaryKey(),
  name: text().notNull(),
  status: planStatus().notNull().default("draft"),
  note: text(),
  createdBy: integer().references(() => users.id),
  publishedBy: integer().references(() => users.id),
  publishedAt: timestamp({ withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const grids = pgTable(
  "grids",
  {
    id: serial().primaryKey(),
    /** Community code + 4-digit sequence, numbered west→east, north→south. */
    code: text().notNull(),
    name: text().notNull(),
    communityId: integer()
      .notNull()
      .references(() => adminAreas.id, { onDelete: "restrict" }),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    estateKind: estateKind().notNull(),
    householdTarget: integer().notNull(),
    geom: geometry("geom", "MultiPolygon").notNull(),
    geom3857: geometry3857("MultiPolygon"),
    validFrom: timestamp({ withTimezone: true }),
    /** Set when a later plan replaced this grid; the row is kept as history. */
    validTo: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("grids_plan_code_key").on(t.planId, t.code),
    index("grids_community_idx").on(t.communityId),
    index("grids_geom_gist").using("gist", t.geom),
    check("grids_code_format", sql`${t.code} ~ '^[0-9]{16}$'`),
    check("grids_household_target_positive", sql`${t.householdTarget} > 0`),
  ],
);

/**
 * Households and building count per grid, kept by statement-level triggers on buildings (migrations 0005, 0007),
 * so low-zoom grid tiles join a small table instead of summing buildings or binding every grid's totals.
 */
export const gridTotals = pgTable("grid_totals", {
  gridId: integer()
    .primaryKey()
    .references(() => grids.id, { onDelete: "cascade" }),
  households: bigint({ mode: "number" }).notNull().default(0),
  buildingCount: integer().notNull().default(0),
});

export type Plan = typeof plans.$inferSelect;
export type Grid = typeof grids.$inferSelect;
