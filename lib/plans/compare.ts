/**
 * Compare a plan (usually a draft) with the grids in force for the same communities, and list published plans for
 * the history view. Takes the drizzle handle first; not server-only (tests and CLIs import it).
 *
 * Households and buildings of a grid: a building belongs to the grid holding its point on surface (the rule drafts
 * are built with; active grids agree with buildings.grid_id because publishing assigns by the same rule). A draft grid
 * is unchanged when its geometry equals an active grid's within 1 m² of symmetric difference.
 */
import { sql } from "drizzle-orm";
import type { MultiPolygon } from "geojson";
import type { Db } from "@/db/index";
import type { GridStats, PlanStatus } from "./contract";

/** Symmetric difference (m²) under which a draft grid counts as the same as an active grid. */
export const UNCHANGED_TOLERANCE_M2 = 1;

export type Bbox = [number, number, number, number];

export interface CompareGrid extends GridStats {
  bbox: Bbox;
}

export interface ComparePlanInfo {
  id: number;
  name: string;
  status: PlanStatus;
  version: number;
  communityIds: number[];
  communities: Array<{ id: number; code: string; name: string }>;
  createdAt: string;
  publishedAt: string | null;
}

export interface ComparisonSummary {
  gridsBefore: number;
  gridsAfter: number;
  /** Draft grids without an identical active grid. */
  changed: number;
  unchanged: number;
  householdsBefore: number;
  householdsAfter: number;
  within5Before: number;
  within5After: number;
  within10Before: number;
  within10After: number;
}

export interface PlanComparison {
  plan: ComparePlanInfo;
  /** Grids in force for the plan's communities (empty when no plan is active there). */
  before: CompareGrid[];
  /** The plan's grids, each with `unchangedFrom` (the identical active grid's code, or null). */
  after: CompareGrid[];
  summary: ComparisonSummary;
  /** Extent of both sets, [west, south, east, north]; null when both are empty. */
  bbox: Bbox | null;
  /** The plan's grids as GeoJSON for the map (properties: id, code, deviation, unchanged). */
  geojson: GeoJSON.FeatureCollection<MultiPolygon, { id: number; code: string; deviation: number; unchanged: boolean }>;
}

/** |deviation| within a tolerance (fractions: 0.05 = ±5 %), with a little slack for rounding. */
export function isWithin(deviation: number, tolerance: number): boolean {
  return Math.abs(deviation) <= tolerance + 1e-9;
}

/** Counts for the summary line of the compare view. */
export function summarizeComparison(before: GridStats[], after: GridStats[]): ComparisonSummary {
  const unchanged = after.filter((grid) => grid.unchangedFrom != null).length;
  const sum = (grids: GridStats[]) => grids.reduce((total, grid) => total + grid.households, 0);
  const count = (grids: GridStats[], tolerance: number) =>
    grids.filter((grid) => isWithin(grid.deviation, tolerance)).length;
  return {
    gridsBefore: before.length,
    gridsAfter: after.length,
    changed: after.length - unchanged,
    unchanged,
    householdsBefore: sum(before),
    householdsAfter: sum(after),
    within5Before: count(before, 0.05),
    within5After: count(after, 0.05),
    within10Before: count(before, 0.1),
    within10After: count(after, 0.1),
  };
}

/** The union of boxes, or null for none. */
export function unionBbox(boxes: Bbox[]): Bbox | null {
  if (boxes.length === 0) return null;
  return boxes.reduce<Bbox>(
    (acc, box) => [
      Math.min(acc[0], box[0]),
      Math.min(acc[1], box[1]),
      Math.max(acc[2], box[2]),
      Math.max(acc[3], box[3]),
    ],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

interface PlanRow {
  id: number;
  name: string;
  status: PlanStatus;
  version: number;
  community_ids: number[];
  created_at: Date | string;
  published_at: Date | string | null;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

interface GridRow {
  id: number;
  code: string;
  name: string;
  community_id: number;
  community_code: string;
  estate_kind: "old" | "new";
  target: number;
  households: number;
  buildings: number;
  area_m2: number;
  compactness: number;
  parts: number;
  unchanged_from: string | null;
  west: number;
  south: number;
  east: number;
  north: number;
  geometry: string;
}

function toGrid(row: GridRow): CompareGrid {
  const target = Number(row.target);
  const households = Number(row.households);
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    communityId: Number(row.community_id),
    communityCode: row.community_code,
    estateKind: row.estate_kind,
    target,
    households,
    deviation: (households - target) / target,
    buildings: Number(row.buildings),
    areaM2: Number(row.area_m2),
    compactness: Number(row.compactness),
    parts: Number(row.parts),
    unchangedFrom: row.unchanged_from,
    bbox: [Number(row.west), Number(row.south), Number(row.east), Number(row.north)],
  };
}

/**
 * Stats of the grids selected by `where` (a condition on `g`), with the code of an identical grid among
 * `active` (a set of grid ids) when asked.
 */
async function gridStats(db: Db, where: ReturnType<typeof sql>, activeIds: number[] | null): Promise<GridRow[]> {
  const unchanged =
    activeIds === null
      ? sql`NULL::text`
      : sql`(SELECT a.code FROM grids a
             WHERE a.id = ANY(${`{${activeIds.join(",")}}`}::int[]) AND a.community_id = g.community_id
               AND a.geom && g.geom
               AND ST_Area(ST_SymDifference(a.geom, g.geom)::geography) < ${UNCHANGED_TOLERANCE_M2}
             ORDER BY a.code LIMIT 1)`;
  const result = await db.execute(sql`
    SELECT g.id, g.code, g.name, g.community_id, c.code AS community_code, g.estate_kind,
           g.household_target AS target,
           coalesce(t.households, 0) AS households, coalesce(t.buildings, 0) AS buildings,
           ST_Area(g.geom::geography) AS area_m2,
           CASE WHEN ST_Perimeter(g.geom::geography) > 0
                THEN 4 * pi() * ST_Area(g.geom::geography) / power(ST_Perimeter(g.geom::geography), 2) ELSE 0 END
             AS compactness,
           ST_NumGeometries(g.geom) AS parts,
           ${unchanged} AS unchanged_from,
           ST_XMin(g.geom) AS west, ST_YMin(g.geom) AS south, ST_XMax(g.geom) AS east, ST_YMax(g.geom) AS north,
           ST_AsGeoJSON(g.geom, 7) AS geometry
    FROM grids g
    JOIN admin_areas c ON c.id = g.community_id
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS buildings, coalesce(sum(b.households), 0)::int AS households
      FROM buildings b
      WHERE b.geom && g.geom AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))
    ) t ON true
    WHERE ${where}
    ORDER BY g.code`);
  return result.rows as unknown as GridRow[];
}

/** The plan, its communities, or undefined when there is no such plan. */
export async function getComparePlanInfo(db: Db, planId: number): Promise<ComparePlanInfo | undefined> {
  const plans = await db.execute(sql`
    SELECT id, name, status, version, community_ids, created_at, published_at FROM plans WHERE id = ${planId}`);
  const plan = plans.rows[0] as unknown as PlanRow | undefined;
  if (!plan) return undefined;
  // A plan without community_ids (older imports) covers the communities its grids lie in.
  const communities = await db.execute(sql`
    SELECT a.id, a.code, a.name FROM admin_areas a
    WHERE a.id = ANY(${`{${(plan.community_ids ?? []).join(",")}}`}::int[])
       OR (cardinality(${`{${(plan.community_ids ?? []).join(",")}}`}::int[]) = 0
           AND a.id IN (SELECT community_id FROM grids WHERE plan_id = ${planId}))
    ORDER BY a.code`);
  const list = (communities.rows as Array<{ id: number; code: string; name: string }>).map((row) => ({
    id: Number(row.id),
    code: row.code,
    name: row.name,
  }));
  return {
    id: Number(plan.id),
    name: plan.name,
    status: plan.status,
    version: Number(plan.version),
    communityIds: list.map((community) => community.id),
    communities: list,
    createdAt: iso(plan.created_at) ?? "",
    publishedAt: iso(plan.published_at),
  };
}

/** The comparison of plan `planId` with the active grids of its communities, or undefined for an unknown plan. */
export async function comparePlan(db: Db, planId: number): Promise<PlanComparison | undefined> {
  const plan = await getComparePlanInfo(db, planId);
  if (!plan) return undefined;
  const communityArray = `{${plan.communityIds.join(",")}}`;
  const beforeRows = await gridStats(
    db,
    sql`g.valid_to IS NULL AND g.community_id = ANY(${communityArray}::int[])
        AND g.plan_id IN (SELECT id FROM plans WHERE status = 'active')`,
    null,
  );
  const activeIds = beforeRows.map((row) => Number(row.id));
  const afterRows = await gridStats(db, sql`g.plan_id = ${planId} AND g.valid_to IS NULL`, activeIds);
  const before = beforeRows.map(toGrid);
  const after = afterRows.map(toGrid);
  return {
    plan,
    before,
    after,
    summary: summarizeComparison(before, after),
    bbox: unionBbox([...before, ...after].map((grid) => grid.bbox)),
    geojson: {
      type: "FeatureCollection",
      features: afterRows.map((row) => {
        const grid = toGrid(row);
        return {
          type: "Feature",
          id: grid.id,
          geometry: JSON.parse(row.geometry) as MultiPolygon,
          properties: {
            id: grid.id,
            code: grid.code,
            deviation: grid.deviation,
            unchanged: grid.unchangedFrom != null,
          },
        };
      }),
    },
  };
}

export interface PublishedPlan {
  id: number;
  name: string;
  status: PlanStatus;
  publishedAt: string;
  publishedBy: string | null;
  gridCount: number;
}

/** Plans that were published (active or archived since), newest first: the history view's quick picks. */
export async function listPublishedPlans(db: Db): Promise<PublishedPlan[]> {
  const result = await db.execute(sql`
    SELECT p.id, p.name, p.status, p.published_at, u.display_name AS published_by,
           (SELECT count(*)::int FROM grids g WHERE g.plan_id = p.id) AS grid_count
    FROM plans p LEFT JOIN users u ON u.id = p.published_by
    WHERE p.published_at IS NOT NULL
    ORDER BY p.published_at DESC, p.id DESC`);
  return (
    result.rows as Array<{
      id: number;
      name: string;
      status: PlanStatus;
      published_at: Date | string;
      published_by: string | null;
      grid_count: number;
    }>
  ).map((row) => ({
    id: Number(row.id),
    name: row.name,
    status: row.status,
    publishedAt: iso(row.published_at) ?? "",
    publishedBy: row.published_by,
    gridCount: Number(row.grid_count),
  }));
}
