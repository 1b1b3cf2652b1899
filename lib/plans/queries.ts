/**
 * Planner reads: the list of plans and one plan's detail (per-grid statistics computed spatially, validation,
 * totals, undo/redo availability).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import type { PlanDetail, PlanStatus, PlanSummary } from "./contract";
import { PlanError } from "./errors";
import { loadGridStats, publicGridStats, validateWithStats } from "./validate";

type PlanRow = {
  id: number;
  name: string;
  status: PlanStatus;
  version: number;
  community_ids: number[];
  targets: { old: number; new: number } | null;
  seed: number | null;
  grid_count: number;
  created_by: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  published_by: string | null;
  published_at: string | Date | null;
  can_undo?: boolean;
  can_redo?: boolean;
};

const iso = (value: string | Date | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

const planQuery = (where: SQL, withEdits: boolean) => sql`
  SELECT p.id, p.name, p.status::text AS status, p.version, p.community_ids, p.targets, p.seed,
    -- an active plan counts the grids in force (a later partial publish retires some of them)
    (SELECT count(*) FROM grids g WHERE g.plan_id = p.id AND (p.status <> 'active' OR g.valid_to IS NULL))::int AS grid_count,
    cu.display_name AS created_by, p.created_at, p.updated_at, pu.display_name AS published_by, p.published_at
    ${
      withEdits
        ? sql`, EXISTS (SELECT 1 FROM plan_edits e WHERE e.plan_id = p.id AND NOT e.undone) AS can_undo,
              EXISTS (SELECT 1 FROM plan_edits e WHERE e.plan_id = p.id AND e.undone) AS can_redo`
        : sql``
    }
  FROM plans p
  LEFT JOIN users cu ON cu.id = p.created_by
  LEFT JOIN users pu ON pu.id = p.published_by
  WHERE ${where}
  ORDER BY (p.status = 'draft') DESC, p.created_at DESC, p.id DESC`;

function planSummary(row: PlanRow): PlanSummary {
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    version: Number(row.version),
    communityIds: (row.community_ids ?? []).map(Number),
    targets: row.targets ?? null,
    seed: row.seed === null ? null : Number(row.seed),
    gridCount: Number(row.grid_count),
    createdBy: row.created_by,
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
  };
}

/** Every plan: drafts first, then newest first. */
export async function listPlans(db: Db): Promise<PlanSummary[]> {
  const result = await db.execute<PlanRow>(planQuery(sql`true`, false));
  return result.rows.map(planSummary);
}

/** One plan's summary; unknown → PlanError not_found. */
export async function getPlanSummary(db: Db, planId: number): Promise<PlanSummary> {
  const result = await db.execute<PlanRow>(planQuery(sql`p.id = ${planId}`, false));
  const row = result.rows[0];
  if (!row) throw new PlanError("not_found", `plan ${planId} not found`);
  return planSummary(row);
}

/**
 * The whole plan for the planner: grids with live statistics (a building counts for the grid holding its point on
 * surface), validation issues and totals. Three statements: the plan row, the grid statistics, the spatial checks.
 */
export async function getPlanDetail(db: Db, planId: number): Promise<PlanDetail> {
  const result = await db.execute<PlanRow>(planQuery(sql`p.id = ${planId}`, true));
  const row = result.rows[0];
  if (!row) throw new PlanError("not_found", `plan ${planId} not found`);
  const summary = planSummary(row);
  const stats = await loadGridStats(db, planId);
  const validation = await validateWithStats(db, planId, summary.communityIds, stats);
  const grids = stats.map(publicGridStats);
  const compactness = grids.map((g) => g.compactness);
  const within = (limit: number) => grids.filter((g) => Math.abs(g.deviation) <= limit + 1e-9).length;
  return {
    ...summary,
    gridCount: grids.length,
    grids,
    validation,
    totals: {
      grids: grids.length,
      households: grids.reduce((sum, g) => sum + g.households, 0),
      within5: within(0.05),
      within10: within(0.1),
      meanCompactness:
        compactness.length > 0
          ? Math.round((compactness.reduce((a, b) => a + b, 0) / compactness.length) * 10_000) / 10_000
          : 0,
      minCompactness: compactness.length > 0 ? Math.min(...compactness) : 0,
    },
    canUndo: Boolean(row.can_undo),
    canRedo: Boolean(row.can_redo),
  };
}
