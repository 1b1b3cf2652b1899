import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
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
  /** Optimistic concurrency: every write to a draft (edit, undo, redo, publish) checks and bumps it; stale → 409. */
  version: integer().notNull().default(1),
  /** The communities this plan covers (admin_areas ids); publishing replaces the active grids of exactly these. */
  communityIds: integer().array().notNull().default(sql`'{}'::integer[]`),
  /** Households per grid the plan was made for, by estate kind ({old, new}); null for imported plans. */
  targets: jsonb().$type<{ old: number; new: number }>(),
  seed: integer(),
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

/** One hand edit of a draft (split, merge, move buildings, reshape, rebalance), kept for undo/redo. */
export const planEdits = pgTable(
  "plan_edits",
  {
    id: serial().primaryKey(),
    planId: integer()
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    /** Plan version this edit produced. */
    version: integer().notNull(),
    op: text().notNull(),
    params: jsonb().notNull(),
    /** Snapshots of the grids the edit removed / added: [{id, code, name, communityId, estateKind, householdTarget, geojson}]. */
    removed: jsonb().notNull(),
    added: jsonb().notNull(),
    /** Undone edits stay until a new edit discards the redo stack. */
    undone: boolean().notNull().default(false),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("plan_edits_plan_idx").on(t.planId, t.id)],
);

export const partitionJobStatus = pgEnum("partition_job_status", ["queued", "running", "done", "failed"]);

/** An automatic partition run off the request thread; the UI polls it for progress. */
export const partitionJobs = pgTable("partition_jobs", {
  id: serial().primaryKey(),
  status: partitionJobStatus().notNull().default("queued"),
  input: jsonb().notNull(),
  /** Current step (machine key, e.g. "tessellate:cells", "partition:320104001002") and fraction done 0..1. */
  step: text(),
  progress: doublePrecision().notNull().default(0),
  planId: integer().references(() => plans.id, { onDelete: "set null" }),
  error: text(),
  createdBy: integer().references(() => users.id),
  createdAt: createdAt(),
  startedAt: timestamp({ withTimezone: true }),
  finishedAt: timestamp({ withTimezone: true }),
});

export type Plan = typeof plans.$inferSelect;
export type PlanEdit = typeof planEdits.$inferSelect;
export type PartitionJob = typeof partitionJobs.$inferSelect;
export type Grid = typeof grids.$inferSelect;
