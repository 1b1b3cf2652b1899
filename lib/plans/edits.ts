/**
 * Hand edits of a draft plan (issue 3): split, merge, move buildings, reshape, rebalance — with undo/redo and
 * optimistic concurrency.
 *
 * Every write runs in ONE transaction: the plan row is locked (FOR UPDATE), must exist (404), be a draft (409
 * not_draft) and be at the version the client saw (409 stale_version). An edit deletes the grid rows it touches and
 * inserts new ones (new ids), records a `plan_edits` row (snapshots of the removed and added rows, the version it
 * produced), discards the redo stack (undone edits), bumps `plans.version` and appends an `audit_log` row. Undo
 * deletes the latest edit's added rows and re-inserts its removed snapshots with their original ids; redo the reverse.
 *
 * Invariants kept by every edit, else PlanError invalid_edit (422) naming the grids/buildings: the touched area is
 * tiled exactly (pieces re-tiled with `tilePair`, see edit-geometry.ts), each new grid is one polygon, no building is
 * split between grids (membership by point-on-surface; a building cut by a drawn line goes wholly to the side holding
 * most of its footprint), and a new piece without buildings must have at least EMPTY_PIECE_MIN_M2 of area.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/index";
import { partitionInto } from "@/lib/grids/auto-partition";
import { PRECISION_M, pgArray, tessellateRegion, wholeBlockHouseholds } from "@/lib/grids/tessellate";
import type { EstateKind, PlanEditRequest } from "./contract";
import {
  EMPTY_PIECE_MIN_M2,
  type Hex,
  keepBuildingsWhole,
  MIN_SHARED_M,
  one,
  overlapM2,
  type PieceStats,
  pieceStats,
  prepareLine,
  rows,
  sharedLengthM,
  splitPieces,
  tilePair,
  unionOf,
} from "./edit-geometry";
import { PlanError, staleVersion } from "./errors";
import { parseWith } from "./http";

const id = z.number().int().positive().max(2_147_483_647);
const version = z.number().int().positive();
const point = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const line = z.array(point).min(2).max(2000);
const pair = z.tuple([id, id]).refine(([a, b]) => a !== b, "the two grids must be different");

/** POST /api/plans/{id}/edits body (zod): a discriminated union on `op`. */
export const PlanEditRequestSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("split"), version, gridId: id, line }),
  z.object({ op: z.literal("merge"), version, gridIds: pair }),
  z.object({
    op: z.literal("move_buildings"),
    version,
    buildingIds: z.array(id).min(1).max(500),
    toGridId: id,
  }),
  z.object({ op: z.literal("reshape"), version, gridIds: pair, line }),
  z.object({ op: z.literal("rebalance"), version, gridIds: pair }),
]);

/** POST /api/plans/{id}/undo and /redo body. */
export const UndoRedoRequestSchema = z.object({ version });

export interface EditActor {
  userId: number | null;
  /** Role of the user (audit_log.actor). */
  role: string;
}

export interface EditOutcome {
  planId: number;
  /** The plan's version after the write. */
  version: number;
  removedGridIds: number[];
  addedGridIds: number[];
}

/** A grid row snapshot kept in plan_edits.removed / .added (geojson with full precision: restores bit-identical). */
export interface GridSnapshot {
  id: number;
  code: string;
  name: string;
  communityId: number;
  estateKind: EstateKind;
  householdTarget: number;
  geojson: unknown;
}

interface GridRow {
  id: number;
  code: string;
  name: string;
  communityId: number;
  communityName: string;
  estateKind: EstateKind;
  householdTarget: number;
  g: Hex;
}

interface NewGrid {
  code: string;
  name: string;
  communityId: number;
  estateKind: EstateKind;
  householdTarget: number;
  g: Hex;
}

interface Change {
  removed: GridRow[];
  added: NewGrid[];
  detail?: Record<string, unknown>;
}

/** A database error raised by the geometry engine (GEOS, e.g. "TopologyException: side location conflict"). */
export function isGeometryEngineError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (code === "XX000" && /GEOS|TopologyException/.test(e.message)) return true;
  }
  return false;
}

/**
 * Lock the plan row and check it (404 / 409 not_draft / 409 stale_version), then run `fn` in the same transaction.
 * A geometry engine failure on the outlines involved rolls back and becomes a 422 naming the edit (`what`).
 */
async function inPlanTransaction<T>(
  db: Db,
  planId: number,
  seen: number,
  what: string,
  fn: (tx: Db, current: number) => Promise<T>,
): Promise<T> {
  try {
    return await lockedPlanTransaction(db, planId, seen, fn);
  } catch (error) {
    if (!isGeometryEngineError(error)) throw error;
    console.error(`[plans] ${what} of plan ${planId}: geometry engine error`, error);
    throw new PlanError(
      "invalid_edit",
      `the ${what} could not be computed on these grids' outlines (geometry engine error); nothing was changed — try a slightly different line or selection`,
    );
  }
}

async function lockedPlanTransaction<T>(
  db: Db,
  planId: number,
  seen: number,
  fn: (tx: Db, current: number) => Promise<T>,
): Promise<T> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db; // a drizzle transaction exposes the query API of the database handle
    const plan = await rows<{ status: string; version: number }>(
      tx,
      sql`SELECT status::text AS status, version FROM plans WHERE id = ${planId} FOR UPDATE`,
    );
    const p = plan[0];
    if (!p) throw new PlanError("not_found", `plan ${planId} does not exist`);
    if (p.status !== "draft")
      throw new PlanError("not_draft", `plan ${planId} is ${p.status}: only a draft can be edited`);
    if (Number(p.version) !== seen) throw staleVersion(planId, seen, Number(p.version));
    return fn(tx, Number(p.version));
  });
}

async function loadGrids(db: Db, planId: number, ids: readonly number[]): Promise<GridRow[]> {
  const found = await rows<{
    id: number;
    code: string;
    name: string;
    community_id: number;
    community_name: string;
    estate_kind: EstateKind;
    household_target: number;
    g: Hex;
  }>(
    db,
    sql`SELECT g.id, g.code, g.name, g.community_id, a.name AS community_name, g.estate_kind::text AS estate_kind,
               g.household_target, g.geom::text AS g
        FROM grids g JOIN admin_areas a ON a.id = g.community_id
        WHERE g.plan_id = ${planId} AND g.id = ANY(${pgArray([...ids])}::int[])`,
  );
  const byId = new Map(found.map((r) => [Number(r.id), r]));
  return ids.map((gid) => {
    const r = byId.get(gid);
    if (!r) throw new PlanError("not_found", `grid ${gid} is not a grid of plan ${planId}`, { gridId: gid });
    return {
      id: Number(r.id),
      code: r.code,
      name: r.name,
      communityId: Number(r.community_id),
      communityName: r.community_name,
      estateKind: r.estate_kind,
      householdTarget: Number(r.household_target),
      g: r.g,
    };
  });
}

/** The next free 4-digit sequence of a community's grid codes in the plan. */
async function nextCode(db: Db, planId: number, grid: GridRow): Promise<{ code: string; name: string }> {
  const r = await one<{ seq: number; prefix: string }>(
    db,
    sql`SELECT coalesce(max(right(g.code, 4)::int), 0) + 1 AS seq, a.code AS prefix
        FROM admin_areas a LEFT JOIN grids g ON g.community_id = a.id AND g.plan_id = ${planId}
        WHERE a.id = ${grid.communityId} GROUP BY a.code`,
  );
  const seq = Number(r.seq);
  if (seq > 9999) throw new PlanError("invalid_edit", `community ${r.prefix} has no free grid code left`);
  return { code: `${r.prefix}${String(seq).padStart(4, "0")}`, name: `${grid.communityName}第${seq}网格` };
}

function sameCommunity(a: GridRow, b: GridRow): void {
  if (a.communityId !== b.communityId)
    throw new PlanError(
      "invalid_edit",
      `grids ${a.code} and ${b.code} belong to different communities: an edit cannot move land between communities`,
    );
}

async function requireAdjacent(db: Db, a: GridRow, b: GridRow): Promise<number> {
  const len = await sharedLengthM(db, a.g, b.g);
  if (len <= MIN_SHARED_M)
    throw new PlanError(
      "invalid_edit",
      len > 0.001
        ? `grids ${a.code} and ${b.code} share only ${len.toFixed(2)} m of boundary (more than ${MIN_SHARED_M} m needed)`
        : `grids ${a.code} and ${b.code} are not adjacent (they share no boundary)`,
    );
  return len;
}

function pct(households: number, target: number): string {
  const d = ((households - target) / target) * 100;
  return `${d >= 0 ? "+" : ""}${d.toFixed(1)}%`;
}

/** A new piece must be one polygon and hold a building, or be an empty piece of at least EMPTY_PIECE_MIN_M2. */
function checkPiece(stats: PieceStats, label: string): void {
  if (stats.parts !== 1)
    throw new PlanError(
      "invalid_edit",
      `${label} would fall into ${stats.parts} separate parts (a grid must be one polygon)`,
    );
  if (stats.buildings === 0 && stats.areaM2 < EMPTY_PIECE_MIN_M2)
    throw new PlanError(
      "invalid_edit",
      `${label} would hold no building and only ${stats.areaM2.toFixed(0)} m² (an empty grid needs at least ${EMPTY_PIECE_MIN_M2} m²)`,
    );
}

/**
 * Cut `region` by a drawn line into two pieces; buildings cut go wholly to the side holding most of their footprint.
 * Returns the two tiled pieces (a = the piece that overlaps `prefer` most, or the larger one).
 */
async function cutByLine(
  db: Db,
  region: Hex,
  points: [number, number][],
  label: string,
  prefer: Hex | null,
): Promise<{ a: Hex; b: Hex; cut: Array<{ id: number; toA: boolean }> }> {
  const lineHex = await prepareLine(db, region, points, label);
  const pieces = await splitPieces(db, region, lineHex);
  if (pieces.length !== 2)
    throw new PlanError(
      "invalid_edit",
      pieces.length < 2
        ? `the line must cross ${label} from one side to the other (its ends may stop at most 5 m short of the outline)`
        : `the line must divide ${label} into exactly 2 pieces, it divides it into ${pieces.length}`,
      { pieces: pieces.length },
    );
  let first = pieces[0] as { g: Hex };
  let second = pieces[1] as { g: Hex };
  if (prefer && (await overlapM2(db, second.g, prefer)) > (await overlapM2(db, first.g, prefer)))
    [first, second] = [second, first];
  const whole = await keepBuildingsWhole(db, region, first.g);
  const tiled = await tilePair(db, region, whole.a);
  if (!tiled.a || !tiled.b)
    throw new PlanError(
      "invalid_edit",
      `the line leaves nothing on one side of ${label} once buildings are kept whole`,
    );
  return { a: tiled.a, b: tiled.b, cut: whole.cut };
}

async function splitOp(db: Db, planId: number, gridId: number, points: [number, number][]): Promise<Change> {
  const [grid] = (await loadGrids(db, planId, [gridId])) as [GridRow];
  const label = `grid ${grid.code}`;
  const { a, b, cut } = await cutByLine(db, grid.g, points, label, null);
  const sa = await pieceStats(db, a);
  const sb = await pieceStats(db, b);
  checkPiece(sa, `one side of ${label}`);
  checkPiece(sb, `one side of ${label}`);
  // the side with more households keeps the code (and name); the other gets the next free sequence
  const [keep, other] =
    sb.households > sa.households || (sb.households === sa.households && sb.areaM2 > sa.areaM2) ? [b, a] : [a, b];
  const next = await nextCode(db, planId, grid);
  const base = {
    communityId: grid.communityId,
    estateKind: grid.estateKind,
    householdTarget: grid.householdTarget,
  };
  return {
    removed: [grid],
    added: [
      { ...base, code: grid.code, name: grid.name, g: keep },
      { ...base, code: next.code, name: next.name, g: other },
    ],
    detail: { cutBuildings: cut.map((c) => c.id) },
  };
}

async function mergeOp(db: Db, planId: number, ids: [number, number]): Promise<Change> {
  const [a, b] = (await loadGrids(db, planId, ids)) as [GridRow, GridRow];
  sameCommunity(a, b);
  await requireAdjacent(db, a, b);
  const union = await unionOf(db, [a.g, b.g]);
  const stats = await pieceStats(db, union);
  if (stats.parts !== 1)
    throw new PlanError("invalid_edit", `grids ${a.code} and ${b.code} do not form one polygon together`);
  const ha = await pieceStats(db, a.g);
  const hb = await pieceStats(db, b.g);
  const keep = hb.households > ha.households ? b : a;
  return {
    removed: [a, b],
    added: [
      {
        code: keep.code,
        name: keep.name,
        communityId: keep.communityId,
        estateKind: keep.estateKind,
        householdTarget: keep.householdTarget,
        g: union,
      },
    ],
  };
}

async function moveOp(db: Db, planId: number, buildingIds: number[], toGridId: number): Promise<Change> {
  const unique = [...new Set(buildingIds)].sort((p, q) => p - q);
  const located = await rows<{ id: number; grid: number | null; code: string | null }>(
    db,
    sql`SELECT b.id, g.id AS grid, g.code FROM buildings b
        LEFT JOIN grids g ON g.plan_id = ${planId} AND g.geom && b.geom AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))
        WHERE b.id = ANY(${pgArray(unique)}::int[]) ORDER BY b.id, g.id`,
  );
  const unknown = unique.filter((bid) => !located.some((r) => Number(r.id) === bid));
  if (unknown.length > 0) throw new PlanError("bad_input", `buildingIds: unknown building ${unknown.join(", ")}`);
  const outside = located.filter((r) => r.grid === null).map((r) => Number(r.id));
  if (outside.length > 0)
    throw new PlanError("invalid_edit", `building ${outside.join(", ")} lies in none of this plan's grids`);
  const sources = [...new Set(located.map((r) => Number(r.grid)))];
  if (sources.length > 1) {
    const by = sources.map(
      (gid) =>
        `${located.find((r) => Number(r.grid) === gid)?.code}: ${located
          .filter((r) => Number(r.grid) === gid)
          .map((r) => r.id)
          .join(", ")}`,
    );
    throw new PlanError(
      "invalid_edit",
      `the buildings lie in several grids (${by.join("; ")}): move them from one grid at a time`,
    );
  }
  const sourceId = sources[0] as number;
  if (sourceId === toGridId)
    throw new PlanError("invalid_edit", `building ${unique.join(", ")} already lies in the target grid`);
  const [source, target] = (await loadGrids(db, planId, [sourceId, toGridId])) as [GridRow, GridRow];
  sameCommunity(source, target);
  await requireAdjacent(db, source, target);

  const tess = await tessellateRegion(db, source.communityId, source.g);
  const cells = tess.graph.nodes.filter((n) => n.buildingId !== null && unique.includes(n.buildingId));
  const missing = unique.filter((bid) => !cells.some((c) => c.buildingId === bid));
  if (missing.length > 0)
    throw new PlanError(
      "invalid_edit",
      `building ${missing.join(", ")} has no area of its own inside grid ${source.code}`,
    );
  const moved = await one<{ g: Hex }>(
    db,
    sql`SELECT ST_Transform(ST_Union(g, ${PRECISION_M}::float8), 4326)::text AS g FROM ptess_cells
        WHERE id = ANY(${pgArray(cells.map((c) => c.id))}::int[])`,
  );
  if ((await sharedLengthM(db, moved.g, target.g)) <= 0.01)
    throw new PlanError(
      "invalid_edit",
      `building ${unique.join(", ")} is not next to grid ${target.code}: the area moved would not touch it`,
    );
  const region = await unionOf(db, [source.g, target.g]);
  const grown = await unionOf(db, [target.g, moved.g]);
  const tiled = await tilePair(db, region, grown);
  if (!tiled.b)
    throw new PlanError("invalid_edit", `moving building ${unique.join(", ")} would leave grid ${source.code} empty`);
  const st = await pieceStats(db, tiled.a as Hex);
  const ss = await pieceStats(db, tiled.b);
  if (ss.buildings === 0)
    throw new PlanError(
      "invalid_edit",
      `moving building ${unique.join(", ")} would leave grid ${source.code} without buildings`,
    );
  if (ss.parts !== 1)
    throw new PlanError(
      "invalid_edit",
      `moving building ${unique.join(", ")} would cut grid ${source.code} into ${ss.parts} parts (a grid must be one polygon)`,
    );
  if (st.parts !== 1)
    throw new PlanError(
      "invalid_edit",
      `moving building ${unique.join(", ")} would make grid ${target.code} ${st.parts} separate parts (a grid must be one polygon)`,
    );
  return {
    removed: [source, target],
    added: [
      { ...pick(target), g: tiled.a as Hex },
      { ...pick(source), g: tiled.b },
    ],
    detail: { from: source.code, to: target.code },
  };
}

function pick(g: GridRow): Omit<NewGrid, "g"> {
  return {
    code: g.code,
    name: g.name,
    communityId: g.communityId,
    estateKind: g.estateKind,
    householdTarget: g.householdTarget,
  };
}

async function reshapeOp(db: Db, planId: number, ids: [number, number], points: [number, number][]): Promise<Change> {
  const [a, b] = (await loadGrids(db, planId, ids)) as [GridRow, GridRow];
  sameCommunity(a, b);
  await requireAdjacent(db, a, b);
  const region = await unionOf(db, [a.g, b.g]);
  const label = `grids ${a.code} and ${b.code} together`;
  const cut = await cutByLine(db, region, points, label, a.g);
  const sa = await pieceStats(db, cut.a);
  const sb = await pieceStats(db, cut.b);
  checkPiece(sa, `grid ${a.code}`);
  checkPiece(sb, `grid ${b.code}`);
  return {
    removed: [a, b],
    added: [
      { ...pick(a), g: cut.a },
      { ...pick(b), g: cut.b },
    ],
    detail: { cutBuildings: cut.cut.map((c) => c.id) },
  };
}

/** Seeded attempts of the engine for a pair re-split (interactive; the whole-plan default is `ATTEMPTS`). */
export const REBALANCE_ATTEMPTS = 2;

export interface RebalanceOptions {
  seed?: number;
  /** Called with the duration (ms) of each phase: tessellate, blocks, partition, tile. */
  onPhase?: (phase: string, ms: number) => void;
}

async function rebalanceOp(db: Db, planId: number, ids: [number, number], opts: RebalanceOptions): Promise<Change> {
  const [a, b] = (await loadGrids(db, planId, ids)) as [GridRow, GridRow];
  sameCommunity(a, b);
  await requireAdjacent(db, a, b);
  const region = await unionOf(db, [a.g, b.g]);
  let t0 = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    opts.onPhase?.(name, now - t0);
    t0 = now;
  };
  const before = [await pieceStats(db, a.g), await pieceStats(db, b.g)] as const;
  const tess = await tessellateRegion(db, a.communityId, region);
  phase("tessellate");
  // the region's blocks are parts of the community's blocks: a part is kept whole only when its WHOLE block would fit
  // in one grid (a part of a big block may be divided between the two grids)
  const blockHouseholds = new Map<number, number>();
  for (const n of tess.graph.nodes)
    blockHouseholds.set(n.blockId, (blockHouseholds.get(n.blockId) ?? 0) + n.households);
  for (const [block, whole] of await wholeBlockHouseholds(db, a.communityId, tess.srid))
    if (blockHouseholds.has(block)) blockHouseholds.set(block, Math.max(whole, blockHouseholds.get(block) ?? 0));
  phase("blocks");
  // both grids aim at half the households of the pair (same community, same target): the worse deviation is smallest
  const target = Math.max(1, tess.households / 2);
  const result = partitionInto(tess.graph, 2, {
    target,
    seed: opts.seed ?? 1,
    blockHouseholds,
    attempts: REBALANCE_ATTEMPTS,
  });
  phase("partition");
  if (result.grids.length !== 2)
    throw new PlanError(
      "invalid_edit",
      `grids ${a.code} and ${b.code} cannot be re-split into two grids (${result.exceptions.map((e) => e.reason).join("; ") || `${result.grids.length} parts`})`,
    );
  const group = await one<{ g: Hex }>(
    db,
    sql`SELECT ST_Transform(ST_Union(g, ${PRECISION_M}::float8), 4326)::text AS g FROM ptess_cells
        WHERE id = ANY(${pgArray(result.grids[0]?.cellIds ?? [])}::int[])`,
  );
  const tiled = await tilePair(db, region, group.g);
  if (!tiled.a || !tiled.b) throw new PlanError("invalid_edit", `grids ${a.code} and ${b.code} cannot be re-split`);
  // the piece overlapping a's old area most keeps a's code
  const [pa, pb] =
    (await overlapM2(db, tiled.a, a.g)) >= (await overlapM2(db, tiled.b, a.g))
      ? [tiled.a, tiled.b]
      : [tiled.b, tiled.a];
  const after = [await pieceStats(db, pa), await pieceStats(db, pb)] as const;
  phase("tile");
  checkPiece(after[0], `grid ${a.code}`);
  checkPiece(after[1], `grid ${b.code}`);
  const worst = (s: readonly [PieceStats, PieceStats]) =>
    Math.max(
      Math.abs(s[0].households - a.householdTarget) / a.householdTarget,
      Math.abs(s[1].households - b.householdTarget) / b.householdTarget,
    );
  if (worst(after) >= worst(before) - 1e-9)
    throw new PlanError(
      "invalid_edit",
      `grids ${a.code} (${before[0].households}, ${pct(before[0].households, a.householdTarget)}) and ${b.code} (${before[1].households}, ${pct(before[1].households, b.householdTarget)}) are already as balanced as their buildings allow`,
    );
  return {
    removed: [a, b],
    added: [
      { ...pick(a), g: pa },
      { ...pick(b), g: pb },
    ],
    detail: {
      households: { before: before.map((s) => s.households), after: after.map((s) => s.households) },
      seed: opts.seed ?? 1,
    },
  };
}

const SNAPSHOT_COLUMNS = sql`id, code, name, community_id AS "communityId", estate_kind::text AS "estateKind",
  household_target AS "householdTarget", ST_AsGeoJSON(geom, 15)::jsonb AS geojson`;

/** Area (m²) of a building that a grid must hold for the building to count as in it (as validate.ts's split check). */
const HELD_M2 = 1;
/** Precision grid (degrees) of the footprint overlays: snap-rounded, robust where the floating overlay is not. */
const HELD_GRID_DEG = 1e-12;

/**
 * Buildings the change would newly cut: more of the added grids hold over HELD_M2 of them than the removed grids did
 * (a building already shared with an untouched neighbour stays as it was). Any step that missed a cut ends here.
 */
async function newlyCutBuildings(tx: Db, change: Change): Promise<number[]> {
  const found = await rows<{ id: number }>(
    tx,
    sql`WITH r AS (SELECT h::geometry AS g FROM unnest(${pgArray(change.removed.map((g) => g.g))}::text[]) h),
             a AS (SELECT h::geometry AS g FROM unnest(${pgArray(change.added.map((g) => g.g))}::text[]) h),
             u AS (SELECT ST_Collect(g) AS u FROM r)
        SELECT b.id FROM buildings b, u
        WHERE b.geom && u.u
          AND (SELECT count(*) FROM a WHERE a.g && b.geom
                 AND ST_Area(ST_Intersection(a.g, b.geom, ${HELD_GRID_DEG}::float8)::geography) > ${HELD_M2}::float8)
            > greatest(1, (SELECT count(*) FROM r WHERE r.g && b.geom
                 AND ST_Area(ST_Intersection(r.g, b.geom, ${HELD_GRID_DEG}::float8)::geography) > ${HELD_M2}::float8))
        ORDER BY b.id`,
  );
  return found.map((r) => Number(r.id));
}

/** Apply a computed change: delete, insert, record the edit, drop the redo stack, bump the version, audit. */
async function commitChange(
  tx: Db,
  planId: number,
  current: number,
  op: string,
  params: Record<string, unknown>,
  change: Change,
  actor: EditActor,
): Promise<EditOutcome> {
  const cut = await newlyCutBuildings(tx, change);
  if (cut.length > 0)
    throw new PlanError(
      "invalid_edit",
      `the ${op.replace("_", " ")} would cut building ${cut.join(", ")} between two grids; nothing was changed — try another line or selection`,
      { buildingIds: cut },
    );
  const removedIds = change.removed.map((g) => g.id);
  const removed = await rows<GridSnapshot>(
    tx,
    sql`SELECT ${SNAPSHOT_COLUMNS} FROM grids WHERE id = ANY(${pgArray(removedIds)}::int[]) ORDER BY id`,
  );
  await tx.execute(sql`DELETE FROM grids WHERE plan_id = ${planId} AND id = ANY(${pgArray(removedIds)}::int[])`);
  const added: GridSnapshot[] = [];
  for (const g of change.added) {
    const [row] = await rows<GridSnapshot & { valid: boolean }>(
      tx,
      sql`INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
          VALUES (${g.code}, ${g.name}, ${g.communityId}, ${planId}, ${g.estateKind}::estate_kind, ${g.householdTarget},
                  ST_Multi(ST_CollectionExtract(${g.g}::geometry, 3)))
          RETURNING ${SNAPSHOT_COLUMNS}, ST_IsValid(geom) AS valid`,
    );
    if (!row) throw new Error("insert returned no row");
    if (!row.valid)
      throw new PlanError(
        "invalid_edit",
        `the edit would make an invalid polygon for grid ${g.code}; try another line`,
      );
    const { valid: _valid, ...snapshot } = row;
    added.push(snapshot);
  }
  const next = current + 1;
  await tx.execute(sql`DELETE FROM plan_edits WHERE plan_id = ${planId} AND undone`);
  await tx.execute(sql`
    INSERT INTO plan_edits (plan_id, version, op, params, removed, added, created_by)
    VALUES (${planId}, ${next}, ${op}, ${JSON.stringify(params)}::jsonb, ${JSON.stringify(removed)}::jsonb,
            ${JSON.stringify(added)}::jsonb, ${actor.userId})`);
  await tx.execute(sql`UPDATE plans SET version = ${next}, updated_at = now() WHERE id = ${planId}`);
  const addedIds = added.map((g) => Number(g.id));
  await audit(tx, actor, `plan.edit.${op}`, planId, {
    version: next,
    params,
    removed: removed.map((g) => ({ id: g.id, code: g.code })),
    added: added.map((g) => ({ id: g.id, code: g.code })),
    ...change.detail,
  });
  return { planId, version: next, removedGridIds: removedIds, addedGridIds: addedIds };
}

async function audit(tx: Db, actor: EditActor, action: string, planId: number, detail: Record<string, unknown>) {
  await tx.execute(sql`
    INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, detail)
    VALUES (${actor.userId}, ${actor.role}, ${action}, 'plans', ${String(planId)}, ${JSON.stringify(detail)}::jsonb)`);
}

/** Apply one hand edit to a draft plan (validated request; see PlanEditRequestSchema). */
export async function applyPlanEdit(
  db: Db,
  planId: number,
  request: PlanEditRequest,
  actor: EditActor,
): Promise<EditOutcome> {
  const req = parseWith(PlanEditRequestSchema, request, "edit") as PlanEditRequest;
  return inPlanTransaction(db, planId, req.version, req.op.replace("_", " "), async (tx, current) => {
    const { version: _v, op, ...params } = req;
    let change: Change;
    switch (req.op) {
      case "split":
        change = await splitOp(tx, planId, req.gridId, req.line);
        break;
      case "merge":
        change = await mergeOp(tx, planId, req.gridIds);
        break;
      case "move_buildings":
        change = await moveOp(tx, planId, req.buildingIds, req.toGridId);
        break;
      case "reshape":
        change = await reshapeOp(tx, planId, req.gridIds, req.line);
        break;
      case "rebalance":
        change = await rebalanceOp(tx, planId, req.gridIds, {});
        break;
    }
    return commitChange(tx, planId, current, op, params, change, actor);
  });
}

/**
 * Re-split two adjacent grids of a draft to balance their households (the `rebalance` edit), exported for benches:
 * `opts.version` defaults to the plan's current version, `opts.onPhase` reports phase durations.
 */
export async function rebalanceGrids(
  db: Db,
  planId: number,
  gridIds: [number, number],
  opts: RebalanceOptions & { version?: number; actor?: EditActor } = {},
): Promise<EditOutcome> {
  const version =
    opts.version ??
    Number((await rows<{ version: number }>(db, sql`SELECT version FROM plans WHERE id = ${planId}`))[0]?.version ?? 0);
  const actor = opts.actor ?? { userId: null, role: "system:bench" };
  return inPlanTransaction(db, planId, version, "rebalance", async (tx, current) => {
    const change = await rebalanceOp(tx, planId, gridIds, opts);
    return commitChange(tx, planId, current, "rebalance", { gridIds, seed: opts.seed ?? 1 }, change, actor);
  });
}

async function restore(tx: Db, planId: number, deleteIds: number[], insert: GridSnapshot[]): Promise<void> {
  await tx.execute(sql`DELETE FROM grids WHERE plan_id = ${planId} AND id = ANY(${pgArray(deleteIds)}::int[])`);
  for (const g of insert)
    await tx.execute(sql`
      INSERT INTO grids (id, code, name, community_id, plan_id, estate_kind, household_target, geom)
      VALUES (${g.id}, ${g.code}, ${g.name}, ${g.communityId}, ${planId}, ${g.estateKind}::estate_kind,
              ${g.householdTarget}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g.geojson)}), 4326))`);
}

/** Undo the latest edit that is not undone: its added grids go, its removed grids come back with their ids. */
export async function undoPlanEdit(db: Db, planId: number, seen: number, actor: EditActor): Promise<EditOutcome> {
  return inPlanTransaction(db, planId, seen, "undo", async (tx, current) => {
    const [edit] = await rows<{
      id: number;
      op: string;
      version: number;
      removed: GridSnapshot[];
      added: GridSnapshot[];
    }>(
      tx,
      sql`SELECT id, op, version, removed, added FROM plan_edits WHERE plan_id = ${planId} AND NOT undone
          ORDER BY id DESC LIMIT 1`,
    );
    if (!edit) throw new PlanError("nothing_to_undo", `plan ${planId} has no edit to undo`);
    const addedIds = edit.added.map((g) => Number(g.id));
    await restore(tx, planId, addedIds, edit.removed);
    await tx.execute(sql`UPDATE plan_edits SET undone = true WHERE id = ${edit.id}`);
    const next = current + 1;
    await tx.execute(sql`UPDATE plans SET version = ${next}, updated_at = now() WHERE id = ${planId}`);
    const restored = edit.removed.map((g) => Number(g.id));
    await audit(tx, actor, "plan.undo", planId, { version: next, editId: edit.id, op: edit.op });
    return { planId, version: next, removedGridIds: addedIds, addedGridIds: restored };
  });
}

/** Redo the oldest undone edit (the one right after the last edit in force). */
export async function redoPlanEdit(db: Db, planId: number, seen: number, actor: EditActor): Promise<EditOutcome> {
  return inPlanTransaction(db, planId, seen, "redo", async (tx, current) => {
    const [edit] = await rows<{ id: number; op: string; removed: GridSnapshot[]; added: GridSnapshot[] }>(
      tx,
      sql`SELECT id, op, removed, added FROM plan_edits WHERE plan_id = ${planId} AND undone ORDER BY id LIMIT 1`,
    );
    if (!edit) throw new PlanError("nothing_to_redo", `plan ${planId} has no undone edit to redo`);
    const removedIds = edit.removed.map((g) => Number(g.id));
    await restore(tx, planId, removedIds, edit.added);
    await tx.execute(sql`UPDATE plan_edits SET undone = false WHERE id = ${edit.id}`);
    const next = current + 1;
    await tx.execute(sql`UPDATE plans SET version = ${next}, updated_at = now() WHERE id = ${planId}`);
    await audit(tx, actor, "plan.redo", planId, { version: next, editId: edit.id, op: edit.op });
    return { planId, version: next, removedGridIds: removedIds, addedGridIds: edit.added.map((g) => Number(g.id)) };
  });
}
