/**
 * Automatic partition → a draft plan: tessellate, partition each community in TypeScript, and write one `plans` row
 * (status 'draft') with its grids — all in ONE transaction. Grid geometry = union of its cells (exact tiling).
 */
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db/index";
import { HOUSEHOLD_TARGET, NEW_ESTATE_MIN_LEVELS } from "@/lib/import/osm-rules";
import { autoPartition, type PartitionResult } from "./auto-partition";
import { type EstateKind, type KindPart, partitionByEstateKind } from "./estate-kinds";
import type { CellGraph } from "./graph";
import { type PartitionMetrics, partitionMetrics } from "./partition-metrics";
import { PRECISION_M, pgArray, tessellate, tessellateConcurrently, tessellateSplit } from "./tessellate";

export interface DraftPlanInput {
  communityIds: number[];
  /**
   * Households per grid by estate kind. A community of kind 'mixed' (or unknown) is partitioned per estate kind: its
   * road blocks are classified old/new by their households (see `estate-kinds.ts`) and each part gets its own target.
   */
  targets?: { old: number; new: number };
  seed?: number;
  name?: string;
  createdBy?: number | null;
  /** Progress: called after each tessellation step with its duration. */
  onStep?: (step: string, ms: number) => void;
  /**
   * Progress for a UI: the current step's machine key (`tessellate:<step>`, `partition:<community code>`,
   * `write:<step>`) and the fraction done so far (0..1, never decreasing). Awaited between steps (a returned promise
   * delays the next step, so keep it short); it runs OUTSIDE the plan's transaction: write progress through another
   * connection, not the handle passed to `createDraftPlan`.
   */
  onProgress?: (step: string, progress: number) => void | Promise<void>;
  /**
   * A handle on the connection pool (never a transaction) on which the tessellation runs on a second session too
   * (reading committed data only): the communities of a multi-community run concurrently (`tessellateConcurrently`),
   * one community's blocks shared (`tessellateSplit`); default: `db` itself when it is
   * not a transaction, else none (one session, e.g. inside a caller's transaction that may hold uncommitted inputs).
   */
  tessellationPool?: Db;
  /** Called inside the plan's transaction once the plan and its grids are written (e.g. audit row, job row). */
  onCreated?: (tx: Db, planId: number) => Promise<void>;
}

export interface CommunityPartition {
  communityId: number;
  code: string;
  name: string;
  /** The community's kind; for a community partitioned per estate kind, the kind holding most of its households. */
  estateKind: "old" | "new";
  /** The target of `estateKind` (`result.target`); each grid's own target is in `gridTargets`. */
  target: number;
  /** Per grid of `result`: its estate kind and household target (they differ only in a mixed community). */
  gridKinds: EstateKind[];
  gridTargets: number[];
  /** A community partitioned per estate kind into an old and a new part: the parts (old first); else absent. */
  parts?: KindPart[];
  cells: number;
  blocks: number;
  /** The cell graph the partition ran on (for baselines, re-partition and figures). */
  graph: CellGraph;
  result: PartitionResult;
  metrics: PartitionMetrics;
  /** Grid codes in the order of `result.grids`. */
  codes: string[];
  partitionMs: number;
}

export interface DraftPlan {
  planId: number;
  name: string;
  communities: CommunityPartition[];
  tessellationMs: number;
  partitionMs: number;
  writeMs: number;
}

export class PartitionInputError extends Error {}

/** Tolerance (degrees, ≈ 1 mm) within which grid boundaries are snapped onto the community boundary before noding. */
export const SNAP_DEG = 1e-8;
/** Precision grid (degrees, ≈ 1 µm) on which the final grid faces are noded and unioned. */
export const NODE_GRID_DEG = 1e-11;
/** Faces smaller than this (square degrees, ≈ 1 m²) are slivers, given to the neighbour sharing the longest edge. */
export const SLIVER_DEG2 = 1e-10;

/** Steps of `tessellate` in the order it reports them (progress weights). */
const TESSELLATION_STEPS = [
  "comm",
  "roads",
  "buildings",
  "lines",
  "blocks",
  "footprints",
  "samples",
  "voronoi",
  "owners",
  "raw cells",
  "cells",
  "adjacency",
];
/** Fractions of the whole run at the end of tessellation and of the partition (the write takes the rest). */
const PROGRESS_TESSELLATED = 0.55;
const PROGRESS_PARTITIONED = 0.9;

function checkTarget(value: number, label: string): void {
  if (!Number.isInteger(value) || value <= 0 || value > 100_000)
    throw new PartitionInputError(`${label} must be a positive whole number of households, got ${value}`);
}

/** Partition the communities and store the result as a new draft plan. */
export async function createDraftPlan(db: Db, input: DraftPlanInput): Promise<DraftPlan> {
  const targets = input.targets ?? HOUSEHOLD_TARGET;
  checkTarget(targets.old, "the target for old estates");
  checkTarget(targets.new, "the target for new estates");
  const seed = input.seed ?? 1;
  if (!Number.isInteger(seed)) throw new PartitionInputError(`seed must be a whole number, got ${seed}`);
  if (input.communityIds.length === 0) throw new PartitionInputError("no community given");
  let done = 0;
  let pending: Promise<void> = Promise.resolve();
  /** Queue a progress report (reports stay ordered and monotone); `await progress(…)` waits until it is written. */
  const progress = (step: string, fraction: number): Promise<void> => {
    done = Math.max(done, Math.min(1, fraction));
    const value = done;
    const report = input.onProgress;
    // progress is best effort: a failed report is logged and never aborts the plan
    if (report)
      pending = pending
        .then(() => report(step, value))
        .catch((error: unknown) => console.warn(`[partition] progress report failed: ${String(error)}`));
    return pending;
  };
  return db.transaction(async (tx) => {
    const tdb = tx as unknown as Db; // safe: a drizzle transaction exposes the query API of the database handle
    const known = await tdb.execute(
      sql`SELECT id, (SELECT coalesce(sum(b.households) FILTER (WHERE b.levels >= ${NEW_ESTATE_MIN_LEVELS}), 0) * 2 >
                             coalesce(sum(b.households), 0) AND coalesce(sum(b.households), 0) > 0
                      FROM buildings b WHERE b.community_id = a.id) AS mostly_new
          FROM admin_areas a WHERE id = ANY(${pgArray(input.communityIds)}::int[]) AND level = 'community'`,
    );
    const mostlyNew = new Map(
      (known.rows as Array<{ id: number; mostly_new: boolean }>).map((r) => [Number(r.id), r.mostly_new]),
    );
    const missing = input.communityIds.filter((id) => !mostlyNew.has(id));
    if (missing.length > 0) throw new PartitionInputError(`not a community: id ${missing.join(", ")}`);

    await progress("tessellate:start", 0);
    const communityCount = new Set(input.communityIds).size;
    const pool = input.tessellationPool ?? (db instanceof PgTransaction ? undefined : db);
    let stepsDone = 0;
    const onStep = (step: string, ms: number) => {
      input.onStep?.(step, ms);
      if (TESSELLATION_STEPS.includes(step)) stepsDone++;
      void progress(
        `tessellate:${step}`,
        (Math.min(stepsDone, TESSELLATION_STEPS.length * communityCount) /
          (TESSELLATION_STEPS.length * communityCount)) *
          PROGRESS_TESSELLATED,
      );
    };
    // with a pool: several communities one session each, two at a time (each is tessellated on its own anyway); one
    // community with its blocks shared between this session and one more
    const tess = !pool
      ? await tessellate(tdb, input.communityIds, onStep)
      : communityCount > 1
        ? await tessellateConcurrently(pool, tdb, input.communityIds, onStep)
        : await tessellateSplit(pool, tdb, input.communityIds[0] as number, onStep);
    await progress("tessellate:done", PROGRESS_TESSELLATED);
    // the new-estate buildings of the communities partitioned per estate kind (declared neither old nor new)
    const mixedBuildings = tess.communities
      .filter((c) => c.estateKind !== "old" && c.estateKind !== "new")
      .flatMap((c) => c.graph.nodes.map((n) => n.buildingId).filter((b): b is number => b !== null));
    const newBuildings = new Set<number>();
    if (mixedBuildings.length > 0) {
      const found = await tdb.execute(
        sql`SELECT id FROM buildings WHERE id = ANY(${pgArray([...new Set(mixedBuildings)])}::bigint[])
              AND levels >= ${NEW_ESTATE_MIN_LEVELS}`,
      );
      for (const r of found.rows as Array<{ id: number | string }>) newBuildings.add(Number(r.id));
    }
    const partStart = performance.now();
    const totalCells = Math.max(
      1,
      tess.communities.reduce((s, c) => s + c.graph.nodes.length, 0),
    );
    let cellsDone = 0;
    const communities: CommunityPartition[] = [];
    for (const c of tess.communities) {
      await progress(
        `partition:${c.code}`,
        PROGRESS_TESSELLATED + (cellsDone / totalCells) * (PROGRESS_PARTITIONED - PROGRESS_TESSELLATED),
      );
      cellsDone += c.graph.nodes.length;
      const declared = c.estateKind === "new" || c.estateKind === "old" ? c.estateKind : null;
      const t0 = performance.now();
      let kind: EstateKind;
      let result: PartitionResult;
      let gridKinds: EstateKind[];
      let gridTargets: number[];
      let parts: KindPart[] | undefined;
      if (declared !== null) {
        kind = declared;
        result = autoPartition(c.graph, { target: targets[kind], seed });
        gridKinds = result.grids.map(() => kind);
        gridTargets = result.grids.map(() => targets[kind]);
      } else if (c.graph.nodes.length === 0) {
        kind = mostlyNew.get(c.communityId) ? "new" : "old";
        result = autoPartition(c.graph, { target: targets[kind], seed });
        gridKinds = [];
        gridTargets = [];
      } else {
        const mixed = partitionByEstateKind(c.graph, (b) => newBuildings.has(b), targets, { seed });
        kind = mixed.dominant;
        result = mixed.result;
        gridKinds = mixed.gridKinds;
        gridTargets = mixed.gridTargets;
        if (mixed.parts.length > 1) parts = mixed.parts;
      }
      const partitionMs = performance.now() - t0;
      communities.push({
        communityId: c.communityId,
        code: c.code,
        name: c.name,
        estateKind: kind,
        target: targets[kind],
        gridKinds,
        gridTargets,
        ...(parts ? { parts } : {}),
        cells: c.graph.nodes.length,
        blocks: c.blocks,
        graph: c.graph,
        result,
        metrics: partitionMetrics(c.graph, result, gridTargets),
        codes: [],
        partitionMs,
      });
    }
    const partitionMs = performance.now() - partStart;
    await progress("write:grids", PROGRESS_PARTITIONED);

    const writeStart = performance.now();
    const name =
      input.name ??
      `自动划分 ${communities.map((c) => c.name).join("、")}（${targets.old}/${targets.new} 户，种子 ${seed}）`;
    const plan = await tdb.execute(
      sql`INSERT INTO plans (name, status, note, created_by, community_ids, targets, seed)
          VALUES (${name}, 'draft', ${`[auto-partition] seed ${seed}; targets old ${targets.old}, new ${targets.new}`},
                  ${input.createdBy ?? null}, ${pgArray(communities.map((c) => c.communityId))}::int[],
                  ${JSON.stringify(targets)}::jsonb, ${seed}) RETURNING id`,
    );
    const planId = Number((plan.rows[0] as { id: number }).id);
    const cellIds: number[] = [];
    const gridKeys: number[] = [];
    const keyKinds: EstateKind[] = [];
    const keyTargets: number[] = [];
    const keyInfo: Array<{ community: CommunityPartition; index: number }> = [];
    for (const c of communities) {
      c.result.grids.forEach((g, i) => {
        const key = keyInfo.length;
        keyInfo.push({ community: c, index: i });
        keyKinds.push(c.gridKinds[i] ?? c.estateKind);
        keyTargets.push(c.gridTargets[i] ?? c.target);
        for (const cell of g.cellIds) {
          cellIds.push(cell);
          gridKeys.push(key);
        }
      });
    }
    for (const t of ["ptess_grids", "ptess_rawgrids", "ptess_faces"])
      await tdb.execute(sql.raw(`DROP TABLE IF EXISTS ${t}`));
    await tdb.execute(sql`
      CREATE TEMP TABLE ptess_rawgrids ON COMMIT DROP AS
      WITH m AS (SELECT unnest(${pgArray(cellIds)}::int[]) AS cell, unnest(${pgArray(gridKeys)}::int[]) AS key)
      SELECT m.key, min(c.comm) AS comm, ST_Transform(ST_Union(c.g, ${PRECISION_M}::float8), 4326) AS g
      FROM m JOIN ptess_cells c ON c.id = m.cell GROUP BY m.key`);
    await tdb.execute(sql`CREATE INDEX ON ptess_rawgrids USING gist (g)`);
    await progress("write:tiling", 0.93);
    // Exact tiling in the stored CRS: the unions of cells (1 mm grid, UTM → 4326) leave sub-mm slivers at
    // T-junctions and along the community boundary. Node the boundaries of all the communities with every grid
    // boundary (snapped onto its community within SNAP_DEG) together on a fixed precision grid (NODE_GRID_DEG), so
    // neighbouring communities get the same edges too; polygonize, keep the faces inside a community, give each face to the grid holding its point-on-surface (the lowest key when two do) and
    // each sliver (< SLIVER_DEG2) to the face it shares the longest edge with. Each grid = union of its faces:
    // neighbours share bit-identical edges and the faces cover the community exactly.
    await tdb.execute(sql`
      CREATE TEMP TABLE ptess_faces ON COMMIT DROP AS
      WITH comms AS (
        SELECT a.id, a.geom FROM admin_areas a WHERE a.id IN (SELECT DISTINCT comm FROM ptess_rawgrids)
      ), lines AS (
        SELECT ST_UnaryUnion(ST_Collect(l), ${NODE_GRID_DEG}::float8) AS l FROM (
          SELECT ST_Boundary(c.geom) AS l FROM comms c
          UNION ALL
          SELECT ST_Snap(ST_Boundary(r.g), c.geom, ${SNAP_DEG}::float8) FROM ptess_rawgrids r JOIN comms c ON c.id = r.comm
        ) x
      ), faces AS (
        SELECT (ST_Dump(ST_Polygonize(l))).geom AS f FROM lines
      ), inside AS (
        SELECT f, (SELECT c.id FROM comms c WHERE c.geom && ST_PointOnSurface(f) AND ST_Intersects(c.geom, ST_PointOnSurface(f))
                   ORDER BY c.id LIMIT 1) AS comm
        FROM faces WHERE ST_Area(f) > 0
      )
      SELECT row_number() OVER (ORDER BY comm, ST_X(ST_PointOnSurface(f)), ST_Y(ST_PointOnSurface(f)))::int AS fid,
             comm, f, ST_Area(f) < ${SLIVER_DEG2}::float8 AS sliver, NULL::int AS key
      FROM inside WHERE comm IS NOT NULL`);
    await tdb.execute(sql`CREATE INDEX ON ptess_faces USING gist (f)`);
    await tdb.execute(sql`
      UPDATE ptess_faces x SET key = (
        SELECT r.key FROM ptess_rawgrids r WHERE r.comm = x.comm AND r.g && ST_PointOnSurface(x.f)
          AND ST_Intersects(r.g, ST_PointOnSurface(x.f)) ORDER BY r.key LIMIT 1)
      WHERE NOT x.sliver`);
    // slivers: to the assigned neighbour face sharing the longest edge, in rounds (a sliver may touch only slivers)
    for (let round = 0; round < 8; round++) {
      const updated = await tdb.execute(sql`
        UPDATE ptess_faces x SET key = n.key FROM (
          SELECT DISTINCT ON (x.fid) x.fid, y.key FROM ptess_faces x JOIN ptess_faces y
            ON y.comm = x.comm AND y.key IS NOT NULL AND y.f && x.f AND ST_Intersects(y.f, x.f)
          CROSS JOIN LATERAL (SELECT ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(x.f), ST_Boundary(y.f)), 2)) AS len) s
          WHERE x.key IS NULL AND s.len > 0
          ORDER BY x.fid, s.len DESC, y.key) n
        WHERE n.fid = x.fid`);
      if ((updated.rowCount ?? 0) === 0) break;
    }
    await tdb.execute(sql`
      UPDATE ptess_faces x SET key = coalesce(
        (SELECT r.key FROM ptess_rawgrids r WHERE r.comm = x.comm AND r.g && ST_PointOnSurface(x.f)
           AND ST_Intersects(r.g, ST_PointOnSurface(x.f)) ORDER BY r.key LIMIT 1),
        (SELECT r.key FROM ptess_rawgrids r WHERE r.comm = x.comm ORDER BY r.g <-> x.f, ST_Distance(r.g, x.f), r.key LIMIT 1))
      WHERE x.key IS NULL`);
    await tdb.execute(sql`
      CREATE TEMP TABLE ptess_grids ON COMMIT DROP AS
      SELECT r.key, r.comm, coalesce((SELECT ST_UnaryUnion(ST_Collect(f.f), ${NODE_GRID_DEG}::float8) FROM ptess_faces f WHERE f.key = r.key), r.g) AS g
      FROM ptess_rawgrids r`);
    // a community whose tessellation has no cell at all (degenerate geometry) becomes one grid
    await tdb.execute(sql`
      INSERT INTO ptess_grids (key, comm, g)
      SELECT -a.id, a.id, a.geom FROM admin_areas a
      WHERE a.id = ANY(${pgArray(input.communityIds)}::int[]) AND NOT EXISTS (SELECT 1 FROM ptess_grids g WHERE g.comm = a.id)`);
    await progress("write:codes", 0.97);
    await tdb.execute(sql`DROP TABLE IF EXISTS ptess_numbered`);
    await tdb.execute(sql`
      CREATE TEMP TABLE ptess_numbered ON COMMIT DROP AS
      SELECT g.key, g.comm, g.g, a.code || lpad(row_number() OVER (PARTITION BY g.comm
               ORDER BY ST_X(ST_PointOnSurface(g.g)), ST_Y(ST_PointOnSurface(g.g)) DESC, g.key)::text, 4, '0') AS code
      FROM ptess_grids g JOIN admin_areas a ON a.id = g.comm`);
    await tdb.execute(sql`
      WITH kinds AS (
        SELECT unnest(${pgArray(keyKinds.map((_, i) => i))}::int[]) AS key,
               unnest(${pgArray(keyKinds)}::text[]) AS kind,
               unnest(${pgArray(keyTargets)}::int[]) AS target
      ), community_kinds AS (
        SELECT unnest(${pgArray(communities.map((c) => c.communityId))}::int[]) AS comm,
               unnest(${pgArray(communities.map((c) => c.estateKind))}::text[]) AS kind,
               unnest(${pgArray(communities.map((c) => c.target))}::int[]) AS target
      )
      INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom, valid_from)
      SELECT n.code, a.name || '第' || right(n.code, 4)::int || '网格', a.id, ${planId},
             coalesce(k.kind, ck.kind, CASE WHEN a.estate_kind = 'new' THEN 'new' ELSE 'old' END)::estate_kind,
             coalesce(k.target, ck.target, CASE WHEN a.estate_kind = 'new' THEN ${targets.new}::int ELSE ${targets.old}::int END),
             ST_Multi(ST_CollectionExtract(n.g, 3)), NULL
      FROM ptess_numbered n JOIN admin_areas a ON a.id = n.comm LEFT JOIN kinds k ON k.key = n.key
      LEFT JOIN community_kinds ck ON ck.comm = n.comm`);
    const inserted = await tdb.execute(sql`SELECT key, code FROM ptess_numbered ORDER BY code`);
    for (const row of inserted.rows as Array<{ code: string; key: number }>) {
      const info = keyInfo[Number(row.key)];
      if (info) info.community.codes[info.index] = row.code;
    }
    if (input.onCreated) await input.onCreated(tdb, planId);
    const writeMs = performance.now() - writeStart;
    await progress("write:commit", 0.99);
    return { planId, name, communities, tessellationMs: tess.durationMs, partitionMs, writeMs };
  });
}

/** Resolve community codes (12 digits) or a street code (9 digits) to community ids, with clear errors. */
export async function resolveCommunities(
  db: Db,
  codes: { communities?: string[]; street?: string },
): Promise<number[]> {
  if (codes.street !== undefined) {
    const street = await db.execute(sql`SELECT id FROM admin_areas WHERE code = ${codes.street} AND level = 'street'`);
    const streetId = (street.rows[0] as { id: number } | undefined)?.id;
    if (streetId === undefined) throw new PartitionInputError(`unknown street code: ${codes.street}`);
    const found = await db.execute(
      sql`SELECT id FROM admin_areas WHERE parent_id = ${streetId} AND level = 'community' ORDER BY code`,
    );
    const ids = (found.rows as Array<{ id: number }>).map((r) => Number(r.id));
    if (ids.length === 0) throw new PartitionInputError(`street ${codes.street} has no communities`);
    return ids;
  }
  const list = codes.communities ?? [];
  if (list.length === 0) throw new PartitionInputError("no community code given");
  const found = await db.execute(
    sql`SELECT id, code FROM admin_areas WHERE code = ANY(${pgArray(list)}::text[]) AND level = 'community'`,
  );
  const byCode = new Map((found.rows as Array<{ id: number; code: string }>).map((r) => [r.code, Number(r.id)]));
  const unknown = list.filter((c) => !byCode.has(c));
  if (unknown.length > 0) throw new PartitionInputError(`unknown community code: ${unknown.join(", ")}`);
  return list.map((c) => byCode.get(c) as number);
}
