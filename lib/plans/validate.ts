/**
 * Plan validation: per-grid statistics computed spatially and the issues that block (errors) or merely flag
 * (warnings) publishing. Rules (areas on the spheroid, m²):
 * - gap (error): part of a community > 1 m² not covered by the plan's grids of that community;
 * - overlap (error): two grids whose interiors share > 1 m²;
 * - split_building (error): a building (its part inside its community) that two grids share with > 1 m² each, or
 *   that has > 0.5 m² outside every grid;
 * - outside_community (error): a grid reaching > 1 m² outside its community, or a grid of a community the plan does
 *   not list (publishing it would leave that community's grids in force beside it: two grids over one point);
 * - non_contiguous: a grid of more than one part — an error, a warning when its community itself has several parts;
 * - empty_grid (warning): a grid with 0 households (empty land such as a park or a school is legitimate);
 * - out_of_tolerance (warning): |households − target| > 10 % of the target.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import type { EstateKind, GridStats, ValidationIssue, ValidationKind } from "./contract";

/** Gaps, overlaps and grid parts outside the community smaller than this (m²) are floating-point noise. */
export const AREA_TOLERANCE_M2 = 1;
/** Grids within this distance (degrees, ≈ 1 mm) of their community's boundary count as inside it, unchecked. */
export const COVER_NOISE_DEG = 1e-8;
/** A building with more than this (m²) outside every grid is reported as split. */
export const BUILDING_OUTSIDE_TOLERANCE_M2 = 0.5;
/** |deviation| above this is a warning. */
export const DEVIATION_TOLERANCE = 0.1;

type Bbox = [number, number, number, number];

/** Grid statistics plus what validation and the map need (point on surface, extent, community parts). */
export interface GridStatsRow extends GridStats {
  communityName: string;
  communityParts: number;
  perimeterM: number;
  point: [number, number];
  bbox: Bbox;
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Every grid of the plan with households and buildings counted spatially: a building belongs to the grid of this
 * plan that contains its ST_PointOnSurface (the lowest grid id when it lies on a shared edge). One statement.
 */
export async function loadGridStats(db: Db, planId: number): Promise<GridStatsRow[]> {
  const result = await db.execute<{
    id: number;
    code: string;
    name: string;
    community_id: number;
    community_code: string;
    community_name: string;
    community_parts: number;
    estate_kind: EstateKind;
    household_target: number;
    households: number;
    buildings: number;
    area_m2: number;
    perimeter_m: number;
    parts: number;
    lng: number;
    lat: number;
    west: number;
    south: number;
    east: number;
    north: number;
  }>(sql`
    WITH totals AS (
      SELECT o.grid_id, sum(b.households) AS households, count(*) AS buildings
      FROM buildings b
      CROSS JOIN LATERAL (SELECT ST_PointOnSurface(b.geom) AS pt) p
      CROSS JOIN LATERAL (
        SELECT g.id AS grid_id FROM grids g WHERE g.plan_id = ${planId} AND g.geom && p.pt AND ST_Intersects(g.geom, p.pt)
        ORDER BY g.id LIMIT 1) o
      WHERE b.geom && (SELECT ST_Extent(geom) FROM grids WHERE plan_id = ${planId})
      GROUP BY o.grid_id
    )
    SELECT g.id, g.code, g.name, g.community_id, a.code AS community_code, a.name AS community_name,
      ST_NumGeometries(a.geom) AS community_parts, g.estate_kind::text AS estate_kind, g.household_target,
      coalesce(t.households, 0)::int AS households, coalesce(t.buildings, 0)::int AS buildings,
      ST_Area(g.geom::geography)::float8 AS area_m2, ST_Perimeter(g.geom::geography)::float8 AS perimeter_m,
      ST_NumGeometries(g.geom) AS parts,
      ST_X(ST_PointOnSurface(g.geom))::float8 AS lng, ST_Y(ST_PointOnSurface(g.geom))::float8 AS lat,
      ST_XMin(g.geom)::float8 AS west, ST_YMin(g.geom)::float8 AS south,
      ST_XMax(g.geom)::float8 AS east, ST_YMax(g.geom)::float8 AS north
    FROM grids g
    JOIN admin_areas a ON a.id = g.community_id
    LEFT JOIN totals t ON t.grid_id = g.id
    WHERE g.plan_id = ${planId}
    ORDER BY g.code, g.id`);
  return result.rows.map((r) => {
    const households = Number(r.households);
    const target = Number(r.household_target);
    const area = Number(r.area_m2);
    const perimeter = Number(r.perimeter_m);
    return {
      id: Number(r.id),
      code: r.code,
      name: r.name,
      communityId: Number(r.community_id),
      communityCode: r.community_code,
      communityName: r.community_name,
      communityParts: Number(r.community_parts),
      estateKind: r.estate_kind,
      target,
      households,
      deviation: target > 0 ? round((households - target) / target, 4) : 0,
      buildings: Number(r.buildings),
      areaM2: round(area, 1),
      perimeterM: round(perimeter, 1),
      compactness: perimeter > 0 ? round((4 * Math.PI * area) / (perimeter * perimeter), 4) : 0,
      parts: Number(r.parts),
      point: [Number(r.lng), Number(r.lat)],
      bbox: [Number(r.west), Number(r.south), Number(r.east), Number(r.north)],
    };
  });
}

/** The public GridStats of a stats row (drops the map and validation extras). */
export function publicGridStats(row: GridStatsRow): GridStats {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    communityId: row.communityId,
    communityCode: row.communityCode,
    estateKind: row.estateKind,
    target: row.target,
    households: row.households,
    deviation: row.deviation,
    buildings: row.buildings,
    areaM2: row.areaM2,
    compactness: row.compactness,
    parts: row.parts,
  };
}

const pct = (value: number) => `${value > 0 ? "+" : ""}${(value * 100).toFixed(1)} %`;

/** Issues that follow from one grid's statistics alone (contiguity, emptiness, balance). Pure. */
export function gridIssues(grids: GridStatsRow[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const g of grids) {
    const at = { gridIds: [g.id], geometry: { type: "Point" as const, coordinates: g.point }, bbox: g.bbox };
    if (g.parts > 1) {
      const severity = g.communityParts > 1 ? "warning" : "error";
      issues.push({
        kind: "non_contiguous",
        severity,
        message: `grid ${g.code} has ${g.parts} separate parts${severity === "warning" ? ` (its community ${g.communityCode} itself has ${g.communityParts} parts)` : ""}`,
        ...at,
      });
    }
    if (g.households === 0) {
      issues.push({
        kind: "empty_grid",
        severity: "warning",
        message: `grid ${g.code} has no households (${g.buildings} buildings, ${Math.round(g.areaM2)} m²)`,
        ...at,
      });
    } else if (Math.abs(g.deviation) > DEVIATION_TOLERANCE) {
      issues.push({
        kind: "out_of_tolerance",
        severity: "warning",
        message: `grid ${g.code} has ${g.households} households for a target of ${g.target} (${pct(g.deviation)}, beyond ±${DEVIATION_TOLERANCE * 100} %)`,
        ...at,
      });
    }
  }
  return issues;
}

/** Grids of a community the plan does not list (plans.community_ids): errors. Pure. */
export function unlistedCommunityIssues(grids: GridStatsRow[], communityIds: number[]): ValidationIssue[] {
  const listed = new Set(communityIds);
  return grids
    .filter((g) => !listed.has(g.communityId))
    .map((g) => ({
      kind: "outside_community" as const,
      severity: "error" as const,
      message: `grid ${g.code} belongs to community ${g.communityName} (${g.communityCode}), which this plan does not include`,
      gridIds: [g.id],
      geometry: { type: "Point" as const, coordinates: g.point },
      bbox: g.bbox,
    }));
}

type SpatialRow = {
  kind: "gap" | "overlap" | "split_building" | "outside_community";
  grid_ids: number[] | null;
  building_id: number | null;
  community_id: number | null;
  community_label: string | null;
  area_m2: number;
  piece_areas: number[] | null;
  geometry: ValidationIssue["geometry"];
  west: number;
  south: number;
  east: number;
  north: number;
};

/** Gaps, overlaps, split buildings and grid parts outside the community, in one statement. */
/** The statement behind the spatial checks (exported for EXPLAIN in diagnostics). */
export function spatialIssuesQuery(planId: number, communityIds: number[]) {
  const ids = `{${communityIds.map((id) => String(Math.trunc(id))).join(",")}}`;
  return sql`
    WITH comm AS (
      SELECT a.id, a.geom, ST_Area(a.geom) AS area, ST_Area(a.geom::geography) / nullif(ST_Area(a.geom), 0) AS scale,
        ST_Buffer(a.geom, ${COVER_NOISE_DEG}::float8) AS near
      FROM admin_areas a WHERE a.id = ANY(${ids}::int[])
    ), ovl AS (
      -- the overlay (robust) rather than a relate predicate: GEOS 3.11's ST_Relate/ST_Intersects throw "side location
      -- conflict" on neighbours meeting along a near-collinear edge, which hand edits can produce
      SELECT x.id AS a, y.id AS b, x.community_id AS ca, y.community_id AS cb, o.geom, ST_Area(o.geom::geography) AS area_m2
      FROM grids x JOIN grids y ON y.plan_id = x.plan_id AND x.id < y.id AND x.geom && y.geom
      CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(x.geom, y.geom), 3) AS geom) o
      WHERE x.plan_id = ${planId} AND NOT ST_IsEmpty(o.geom)
    ), outside AS (
      SELECT g.id, g.community_id, ST_CollectionExtract(ST_Difference(g.geom, a.geom), 3) AS geom
      FROM grids g JOIN comm c ON c.id = g.community_id JOIN admin_areas a ON a.id = g.community_id
      WHERE g.plan_id = ${planId} AND NOT ST_CoveredBy(g.geom, c.near)
    ), cover AS (
      -- without parts outside, the grids' planar areas add up to their union's plus their overlaps: a community whose
      -- area they match within half the tolerance, overlaps (noise slivers included) counted against it, has no gap
      -- of the tolerance, and skips the union
      SELECT c.id, c.geom, (SELECT count(*) FROM grids g WHERE g.plan_id = ${planId} AND g.community_id = c.id) = 0
          OR NOT (abs(c.area - (SELECT coalesce(sum(ST_Area(g.geom)), 0) FROM grids g WHERE g.plan_id = ${planId} AND g.community_id = c.id)) * c.scale
                    + (SELECT coalesce(sum(ovl.area_m2), 0) FROM ovl WHERE c.id IN (ovl.ca, ovl.cb))
                    <= ${AREA_TOLERANCE_M2 / 2}::float8
                  AND NOT EXISTS (SELECT 1 FROM outside o WHERE o.community_id = c.id)) AS check_gaps
      FROM comm c
    ), gaps AS (
      SELECT c.id AS community_id, d.geom
      FROM cover c
      CROSS JOIN LATERAL (SELECT ST_Union(g.geom) AS u FROM grids g WHERE g.plan_id = ${planId} AND g.community_id = c.id) u
      CROSS JOIN LATERAL ST_Dump(CASE WHEN u.u IS NULL THEN c.geom ELSE ST_CollectionExtract(ST_Difference(c.geom, u.u), 3) END) d
      WHERE c.check_gaps
    ), edges AS (
      -- subdivided: short pieces with tight boxes find their few buildings through the index
      SELECT ST_Boundary(g.geom) AS l FROM grids g WHERE g.plan_id = ${planId}
    ), cand AS (
      -- only a building crossing a grid boundary, or lying in no grid, can be split (grid boundaries include the
      -- community boundary wherever the grids cover it; a building in no grid lies in a gap, so only communities
      -- that may have one are searched for those)
      SELECT b.id FROM edges e JOIN buildings b ON b.geom && e.l AND ST_Distance(e.l, b.geom) = 0
      WHERE b.community_id = ANY(${ids}::int[])
      UNION
      SELECT b.id FROM buildings b CROSS JOIN LATERAL (SELECT ST_PointOnSurface(b.geom) AS pt) p
      WHERE b.community_id IN (SELECT id FROM cover WHERE check_gaps) AND NOT EXISTS (
        SELECT 1 FROM grids g WHERE g.plan_id = ${planId} AND g.geom && p.pt AND ST_Intersects(g.geom, p.pt))
    ), loose AS (
      SELECT x.id, x.community_id, x.geom FROM (
        SELECT b.id, b.community_id,
          CASE WHEN ST_CoveredBy(b.geom, c.geom) THEN b.geom
               ELSE ST_CollectionExtract(ST_Intersection(b.geom, c.geom), 3) END AS geom
        FROM cand JOIN buildings b ON b.id = cand.id JOIN comm c ON c.id = b.community_id
      ) x WHERE NOT ST_IsEmpty(x.geom)
    ), pieces AS (
      SELECT l.id, g.id AS grid_id, ST_Area(ST_Intersection(l.geom, g.geom)::geography) AS area
      FROM loose l JOIN grids g ON g.plan_id = ${planId} AND g.geom && l.geom
    ), split AS (
      SELECT l.id, l.community_id, l.geom, ST_Area(l.geom::geography) - coalesce(s.covered, 0) AS outside_area,
        s.grid_ids, s.piece_areas
      FROM loose l LEFT JOIN (
        SELECT id, sum(area) AS covered,
          array_agg(grid_id ORDER BY area DESC, grid_id) FILTER (WHERE area > ${AREA_TOLERANCE_M2}::float8) AS grid_ids,
          array_agg(area ORDER BY area DESC, grid_id) FILTER (WHERE area > ${AREA_TOLERANCE_M2}::float8) AS piece_areas
        FROM pieces GROUP BY id
      ) s ON s.id = l.id
    ), issues AS (
      SELECT 'gap' AS kind, NULL::int[] AS grid_ids, NULL::int AS building_id, community_id,
        ST_Area(geom::geography) AS area_m2, NULL::float8[] AS piece_areas, geom
      FROM gaps WHERE ST_Area(geom::geography) > ${AREA_TOLERANCE_M2}::float8
      UNION ALL
      SELECT 'overlap', ARRAY[a, b], NULL, NULL, area_m2, NULL, geom
      FROM ovl WHERE area_m2 > ${AREA_TOLERANCE_M2}::float8
      UNION ALL
      SELECT 'outside_community', ARRAY[id], NULL, NULL, ST_Area(geom::geography), NULL, geom
      FROM outside WHERE NOT ST_IsEmpty(geom) AND ST_Area(geom::geography) > ${AREA_TOLERANCE_M2}::float8
      UNION ALL
      SELECT 'split_building', grid_ids, id, community_id, outside_area, piece_areas, geom
      FROM split WHERE cardinality(grid_ids) >= 2 OR outside_area > ${BUILDING_OUTSIDE_TOLERANCE_M2}::float8
    )
    SELECT kind, grid_ids, building_id, community_id, area_m2::float8 AS area_m2, piece_areas,
      (SELECT a.name || ' (' || a.code || ')' FROM admin_areas a WHERE a.id = issues.community_id) AS community_label,
      ST_AsGeoJSON(geom, 7)::json AS geometry,
      ST_XMin(geom)::float8 AS west, ST_YMin(geom)::float8 AS south, ST_XMax(geom)::float8 AS east, ST_YMax(geom)::float8 AS north
    FROM issues ORDER BY kind, community_id, building_id, grid_ids`;
}

async function spatialIssues(
  db: Db,
  planId: number,
  communityIds: number[],
  grids: GridStatsRow[],
): Promise<ValidationIssue[]> {
  const result = await db.execute<SpatialRow>(spatialIssuesQuery(planId, communityIds));
  const byId = new Map(grids.map((g) => [g.id, g]));
  const code = (id: number) => byId.get(id)?.code ?? `#${id}`;
  return result.rows.map((r): ValidationIssue => {
    const gridIds = (r.grid_ids ?? []).map(Number);
    const area = Number(r.area_m2);
    const bbox: Bbox = [Number(r.west), Number(r.south), Number(r.east), Number(r.north)];
    const base = { severity: "error" as const, gridIds, geometry: r.geometry, bbox };
    const m2 = (value: number) => `${value.toFixed(1)} m²`;
    switch (r.kind) {
      case "gap": {
        const community = r.community_label ?? `community ${r.community_id}`;
        return { kind: "gap", ...base, message: `${m2(area)} of ${community} is covered by no grid` };
      }
      case "overlap":
        return {
          kind: "overlap",
          ...base,
          message: `grids ${code(gridIds[0] ?? 0)} and ${code(gridIds[1] ?? 0)} overlap by ${m2(area)}`,
        };
      case "outside_community":
        return {
          kind: "outside_community",
          ...base,
          message: `grid ${code(gridIds[0] ?? 0)} reaches ${m2(area)} outside its community`,
        };
      default: {
        const pieces = (r.piece_areas ?? []).map(Number);
        const cut =
          gridIds.length >= 2
            ? `is cut by grids ${gridIds.map((id, i) => `${code(id)} (${m2(pieces[i] ?? 0)})`).join(", ")}`
            : "";
        const out = area > BUILDING_OUTSIDE_TOLERANCE_M2 ? `has ${m2(area)} outside every grid` : "";
        return {
          kind: "split_building",
          ...base,
          buildingId: Number(r.building_id),
          message: `building ${r.building_id} ${[cut, out].filter(Boolean).join(" and ")}`,
        };
      }
    }
  });
}

const KIND_ORDER: ValidationKind[] = [
  "gap",
  "overlap",
  "outside_community",
  "split_building",
  "non_contiguous",
  "empty_grid",
  "out_of_tolerance",
];

/** Errors first, then by kind in KIND_ORDER (stable within a kind). */
export function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        Number(a.issue.severity !== "error") - Number(b.issue.severity !== "error") ||
        KIND_ORDER.indexOf(a.issue.kind) - KIND_ORDER.indexOf(b.issue.kind) ||
        a.index - b.index,
    )
    .map((x) => x.issue);
}

/** Validation of a plan given its grid statistics (so the detail view computes them once). */
export async function validateWithStats(
  db: Db,
  planId: number,
  communityIds: number[],
  grids: GridStatsRow[],
): Promise<ValidationIssue[]> {
  const spatial = await spatialIssues(db, planId, communityIds, grids);
  return sortIssues([...spatial, ...unlistedCommunityIssues(grids, communityIds), ...gridIssues(grids)]);
}

/** Every issue of the plan (unknown plan → empty list; callers check existence first). */
export async function validatePlan(db: Db, planId: number): Promise<ValidationIssue[]> {
  const plan = await db.execute<{ community_ids: number[] }>(sql`SELECT community_ids FROM plans WHERE id = ${planId}`);
  const communityIds = (plan.rows[0]?.community_ids ?? []).map(Number);
  const grids = await loadGridStats(db, planId);
  return validateWithStats(db, planId, communityIds, grids);
}
