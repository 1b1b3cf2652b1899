/**
 * Plans as GeoJSON (EPSG:4326): export of a plan's grids with their statistics, and import of a FeatureCollection as
 * a new draft — checked feature by feature (structure, CRS, geometry validity, community, coverage, overlaps) with
 * errors that name the feature, written in one transaction only when everything passes.
 */
import { sql } from "drizzle-orm";
import type { MultiPolygon, Polygon } from "geojson";
import type { Db } from "@/db/index";
import { HOUSEHOLD_TARGET } from "@/lib/import/osm-rules";
import type { PlanGeoJson } from "./contract";
import { PlanError } from "./errors";
import { loadGridStats } from "./validate";

/** Larger uploads are refused with 413 by the route. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_FEATURES = 5000;
export const MAX_IMPORT_VERTICES = 1_000_000;
/** Gaps and overlaps up to this area (m²) are rounding noise (an export rounds coordinates to 7 decimals ≈ 1 cm). */
export const IMPORT_AREA_TOLERANCE_M2 = 1;
/** Vertices this close (degrees, ≈ 5 cm) to the community boundary are snapped onto it on import. */
export const IMPORT_SNAP_DEG = 5e-7;
/** At most this many problems are listed in one error answer. */
const MAX_LISTED_ERRORS = 20;

const CRS_4326 =
  /^(EPSG:4326|urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:OGC::CRS84|OGC:CRS84|CRS84|urn:ogc:def:crs:EPSG::4326|urn:ogc:def:crs:EPSG:[0-9.]*:4326)$/i;

/** The plan's grids as a FeatureCollection with code, households, target, deviation and buildings (7 decimals). */
export async function getPlanGeoJson(db: Db, planId: number): Promise<PlanGeoJson> {
  const plan = await db.execute(sql`SELECT 1 FROM plans WHERE id = ${planId}`);
  if (plan.rows.length === 0) throw new PlanError("not_found", `plan ${planId} not found`);
  const stats = await loadGridStats(db, planId);
  const geometries = await db.execute<{ id: number; geometry: MultiPolygon }>(
    sql`SELECT id, ST_AsGeoJSON(ST_Multi(geom), 7)::json AS geometry FROM grids WHERE plan_id = ${planId}`,
  );
  const byId = new Map(geometries.rows.map((r) => [Number(r.id), r.geometry]));
  return {
    type: "FeatureCollection",
    features: stats.map((g) => ({
      type: "Feature",
      id: g.id,
      geometry: byId.get(g.id) as MultiPolygon,
      properties: {
        id: g.id,
        code: g.code,
        name: g.name,
        community: g.communityCode,
        households: g.households,
        target: g.target,
        deviation: g.deviation,
        buildings: g.buildings,
      },
    })),
  };
}

/** One feature of an import after the structural checks. */
export interface ImportFeature {
  index: number;
  code: string | null;
  community: string | null;
  name: string | null;
  target: number | null;
  geometry: Polygon | MultiPolygon;
}

export interface ImportProblem {
  feature: number | null;
  code: string | null;
  message: string;
}

/** "feature 3 (3201040010020001)" — how errors name a feature (0-based index as in the file). */
export function featureLabel(index: number, code: string | null): string {
  return code ? `feature ${index} (${code})` : `feature ${index}`;
}

function fail(kind: "bad_input" | "invalid_geometry", problems: ImportProblem[]): never {
  const first = problems[0]?.message ?? "invalid import";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  throw new PlanError(kind, `${first}${more}`, { errors: problems.slice(0, MAX_LISTED_ERRORS) });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Check one ring: positions of 2–3 finite numbers in lon/lat range, at least 4, closed. */
function ringProblem(ring: unknown, where: string): string | null {
  if (!Array.isArray(ring)) return `${where} is not an array of positions`;
  if (ring.length < 4) return `${where} has ${ring.length} positions, a ring needs at least 4`;
  for (const position of ring) {
    if (
      !Array.isArray(position) ||
      position.length < 2 ||
      position.length > 3 ||
      !position.every((n) => typeof n === "number" && Number.isFinite(n))
    )
      return `${where} has a position that is not [longitude, latitude]: ${JSON.stringify(position)?.slice(0, 60)}`;
    const [lng, lat] = position as [number, number];
    if (Math.abs(lng) > 180 || Math.abs(lat) > 90)
      return `${where} has coordinates [${lng}, ${lat}] outside longitude/latitude range: this looks like a projected CRS (e.g. EPSG:3857 or CGCS2000 / Gauss–Krüger); export in EPSG:4326`;
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return `${where} is not closed (first and last positions differ)`;
  return null;
}

function geometryProblem(geometry: unknown): { problem: string | null; vertices: number } {
  if (!isObject(geometry)) return { problem: "has no geometry", vertices: 0 };
  const type = geometry.type;
  if (type !== "Polygon" && type !== "MultiPolygon")
    return { problem: `has a ${String(type)} geometry, only Polygon and MultiPolygon are accepted`, vertices: 0 };
  const polygons = type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return { problem: "has empty coordinates", vertices: 0 };
  let vertices = 0;
  for (const [p, polygon] of polygons.entries()) {
    if (!Array.isArray(polygon) || polygon.length === 0) return { problem: `polygon ${p} has no rings`, vertices };
    for (const [r, ring] of polygon.entries()) {
      const problem = ringProblem(ring, type === "Polygon" ? `ring ${r}` : `polygon ${p} ring ${r}`);
      if (problem) return { problem, vertices };
      vertices += (ring as unknown[]).length;
    }
  }
  return { problem: null, vertices };
}

/**
 * Structural checks of an import body: `{ name?, featureCollection }` or the FeatureCollection itself. Pure (no
 * database): CRS, feature types, geometry types, ring shape, coordinate range, property types. Throws PlanError
 * naming every bad feature (bad_input, or invalid_geometry when only geometries are wrong).
 */
export function parseImportBody(body: unknown): { name: string | null; features: ImportFeature[] } {
  if (!isObject(body)) fail("bad_input", [{ feature: null, code: null, message: "the body must be a JSON object" }]);
  let collection: unknown = body;
  let name: string | null = null;
  if (body.type !== "FeatureCollection" && "featureCollection" in body) {
    collection = body.featureCollection;
    if (body.name !== undefined && body.name !== null) {
      if (typeof body.name !== "string" || body.name.trim() === "" || body.name.length > 200)
        fail("bad_input", [
          { feature: null, code: null, message: "name must be a non-empty text of at most 200 characters" },
        ]);
      name = body.name.trim();
    }
  }
  if (!isObject(collection) || collection.type !== "FeatureCollection")
    fail("bad_input", [
      {
        feature: null,
        code: null,
        message: `not a GeoJSON FeatureCollection (type is ${isObject(collection) ? JSON.stringify(collection.type) : typeof collection})`,
      },
    ]);
  if (collection.crs !== undefined && collection.crs !== null) {
    const crs = collection.crs;
    const crsName = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
    if (typeof crsName !== "string" || !CRS_4326.test(crsName.trim()))
      fail("bad_input", [
        {
          feature: null,
          code: null,
          message: `unsupported crs ${JSON.stringify(crsName ?? crs)}: coordinates must be longitude/latitude in EPSG:4326 (CRS84)`,
        },
      ]);
  }
  const features = collection.features;
  if (!Array.isArray(features) || features.length === 0)
    fail("bad_input", [{ feature: null, code: null, message: "the FeatureCollection has no features" }]);
  if (features.length > MAX_IMPORT_FEATURES)
    fail("bad_input", [
      {
        feature: null,
        code: null,
        message: `${features.length} features, at most ${MAX_IMPORT_FEATURES} are accepted`,
      },
    ]);
  const problems: ImportProblem[] = [];
  let geometryOnly = true;
  let vertices = 0;
  const parsed: ImportFeature[] = [];
  for (const [index, feature] of features.entries()) {
    const properties = isObject(feature) && isObject(feature.properties) ? feature.properties : {};
    const code = typeof properties.code === "string" && properties.code.trim() !== "" ? properties.code.trim() : null;
    const label = featureLabel(index, code);
    const problem = (message: string, geometry = false) => {
      if (!geometry) geometryOnly = false;
      problems.push({ feature: index, code, message: `${label} ${message}` });
    };
    if (!isObject(feature) || feature.type !== "Feature") {
      problem("is not a GeoJSON Feature");
      continue;
    }
    const community = properties.community;
    if (
      community !== undefined &&
      community !== null &&
      (typeof community !== "string" || !/^[0-9]{12}$/.test(community))
    ) {
      problem(`has community ${JSON.stringify(community)}: expected a 12-digit community code`);
      continue;
    }
    const target = properties.target;
    if (
      target !== undefined &&
      target !== null &&
      (!Number.isInteger(target) || (target as number) <= 0 || (target as number) > 100_000)
    ) {
      problem(`has target ${JSON.stringify(target)}: expected a positive whole number of households`);
      continue;
    }
    const checked = geometryProblem(feature.geometry);
    vertices += checked.vertices;
    if (checked.problem) {
      problem(checked.problem, true);
      continue;
    }
    parsed.push({
      index,
      code,
      community: typeof community === "string" ? community : null,
      name:
        typeof properties.name === "string" && properties.name.trim() !== ""
          ? properties.name.trim().slice(0, 200)
          : null,
      target: typeof target === "number" ? target : null,
      geometry: feature.geometry as unknown as Polygon | MultiPolygon,
    });
  }
  if (vertices > MAX_IMPORT_VERTICES)
    problems.push({
      feature: null,
      code: null,
      message: `${vertices} vertices, at most ${MAX_IMPORT_VERTICES} are accepted`,
    });
  if (problems.length > 0) fail(geometryOnly ? "invalid_geometry" : "bad_input", problems);
  return { name, features: parsed };
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

/**
 * Import a FeatureCollection as a new draft plan (one transaction; any problem → PlanError and nothing written).
 * Each feature's community is its `community` property (12-digit code) or the community holding its point on
 * surface; the features of each community must cover it (gap ≤ 1 m²) without overlapping each other or leaving it.
 * A `code` property is kept when it is 16 digits, starts with the community code and is unique; the others are
 * numbered after the highest kept one, west→east then north→south.
 */
export async function importPlanGeoJson(
  db: Db,
  body: unknown,
  options: { name?: string | null; userId: number | null },
): Promise<{ planId: number; grids: number }> {
  const parsed = parseImportBody(body);
  const planName = options.name?.trim() || parsed.name || `导入方案 ${new Date().toISOString().slice(0, 10)}`;
  const payload = JSON.stringify(
    parsed.features.map((f) => ({
      i: f.index,
      code: f.code,
      community: f.community,
      name: f.name,
      target: f.target,
      geometry: f.geometry,
    })),
  );
  const codeOf = new Map(parsed.features.map((f) => [f.index, f.code]));
  const label = (index: number) => featureLabel(index, codeOf.get(index) ?? null);
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db; // safe: a drizzle transaction exposes the query API of the database handle
    await tx.execute(sql`DROP TABLE IF EXISTS plan_import`);
    // a height in the positions ([x, y, z], allowed by GeoJSON) is dropped: grids are 2D
    await tx.execute(sql`
      CREATE TEMP TABLE plan_import ON COMMIT DROP AS
      SELECT (e->>'i')::int AS i, e->>'code' AS code, e->>'community' AS community_code, e->>'name' AS name,
        (e->>'target')::int AS target, ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(e->'geometry'), 4326)) AS geom,
        NULL::int AS community_id
      FROM jsonb_array_elements(${payload}::jsonb) e`);

    // 1. geometry validity (self-intersections, …)
    const invalid = await rows<{ i: number; reason: string }>(
      tx,
      sql`SELECT i, ST_IsValidReason(geom) AS reason FROM plan_import WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) ORDER BY i`,
    );
    if (invalid.length > 0)
      fail(
        "invalid_geometry",
        invalid.map((r) => ({
          feature: Number(r.i),
          code: codeOf.get(Number(r.i)) ?? null,
          message: `${label(Number(r.i))} has an invalid geometry: ${r.reason}`,
        })),
      );

    // 2. communities: the given code, else the community holding the point on surface
    await tx.execute(sql`
      UPDATE plan_import f SET community_id = CASE
        WHEN f.community_code IS NOT NULL THEN (SELECT a.id FROM admin_areas a WHERE a.code = f.community_code AND a.level = 'community')
        ELSE (SELECT a.id FROM admin_areas a WHERE a.level = 'community' AND ST_Intersects(a.geom, ST_PointOnSurface(f.geom))
              ORDER BY (a.source = 'official') DESC, a.id LIMIT 1) END`);
    // vertices within SNAP_DEG of the community boundary go back onto it (an export rounds to 7 decimals, ≈ 1 cm,
    // which alone leaves m²-sized slivers along a few km of boundary); shared edges round identically on both sides
    await tx.execute(sql`
      UPDATE plan_import f SET geom = s.geom FROM (
        SELECT f.i, ST_Snap(f.geom, a.geom, ${IMPORT_SNAP_DEG}::float8) AS geom
        FROM plan_import f JOIN admin_areas a ON a.id = f.community_id
      ) s WHERE s.i = f.i AND ST_IsValid(s.geom)`);
    const homeless = await rows<{ i: number; community_code: string | null }>(
      tx,
      sql`SELECT i, community_code FROM plan_import WHERE community_id IS NULL ORDER BY i`,
    );
    if (homeless.length > 0)
      fail(
        "bad_input",
        homeless.map((r) => ({
          feature: Number(r.i),
          code: codeOf.get(Number(r.i)) ?? null,
          message: r.community_code
            ? `${label(Number(r.i))} names unknown community ${r.community_code}`
            : `${label(Number(r.i))} lies in no community (give a "community" property with its 12-digit code)`,
        })),
      );

    // 3. coverage, overlaps, parts outside the community
    const problems = await rows<{
      kind: string;
      i: number | null;
      j: number | null;
      community: string | null;
      area: number;
    }>(
      tx,
      sql`WITH comm AS (
            SELECT a.id, a.code, a.name, a.geom, ST_Union(f.geom) AS u
            FROM admin_areas a JOIN plan_import f ON f.community_id = a.id GROUP BY a.id
          )
          SELECT 'gap' AS kind, NULL::int AS i, NULL::int AS j, c.name || ' (' || c.code || ')' AS community,
            ST_Area(ST_Difference(c.geom, c.u)::geography)::float8 AS area
          FROM comm c WHERE ST_Area(ST_Difference(c.geom, c.u)::geography) > ${IMPORT_AREA_TOLERANCE_M2}::float8
          UNION ALL
          SELECT 'overlap', x.i, y.i, NULL, ST_Area(ST_Intersection(x.geom, y.geom)::geography)::float8
          FROM plan_import x JOIN plan_import y ON x.i < y.i AND x.geom && y.geom
          -- overlay areas only, no relate predicate: GEOS 3.11's throws on near-collinear shared edges (an export of
          -- hand-edited grids has them)
          WHERE ST_Area(ST_Intersection(x.geom, y.geom)::geography) > ${IMPORT_AREA_TOLERANCE_M2}::float8
          UNION ALL
          SELECT 'outside', f.i, NULL, a.name || ' (' || a.code || ')', ST_Area(ST_Difference(f.geom, a.geom)::geography)::float8
          FROM plan_import f JOIN admin_areas a ON a.id = f.community_id
          WHERE ST_Area(ST_Difference(f.geom, a.geom)::geography) > ${IMPORT_AREA_TOLERANCE_M2}::float8
          ORDER BY 1, 2, 3`,
    );
    if (problems.length > 0)
      fail(
        "bad_input",
        problems.map((p) => {
          const area = `${Number(p.area).toFixed(1)} m²`;
          const i = p.i === null ? null : Number(p.i);
          const message =
            p.kind === "gap"
              ? `the features do not cover community ${p.community}: ${area} is left uncovered`
              : p.kind === "overlap"
                ? `${label(i ?? 0)} and ${label(Number(p.j))} overlap by ${area}`
                : `${label(i ?? 0)} reaches ${area} outside its community ${p.community}`;
          return { feature: i, code: i === null ? null : (codeOf.get(i) ?? null), message };
        }),
      );

    // 4. codes: kept when well-formed for the community and unique, else numbered after the highest kept one
    const duplicates = await rows<{ code: string; features: number[] }>(
      tx,
      sql`SELECT code, array_agg(i ORDER BY i) AS features FROM plan_import WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1`,
    );
    if (duplicates.length > 0)
      fail(
        "bad_input",
        duplicates.map((d) => ({
          feature: Number(d.features[0]),
          code: d.code,
          message: `code ${d.code} is used by ${d.features.map((i) => `feature ${i}`).join(" and ")}`,
        })),
      );
    const [plan] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO plans (name, status, note, created_by, community_ids)
          SELECT ${planName}, 'draft', ${`[import] ${parsed.features.length} features`}, ${options.userId},
            array_agg(DISTINCT community_id ORDER BY community_id) FROM plan_import
          RETURNING id`,
    );
    const planId = Number(plan?.id);
    const inserted = await tx.execute(sql`
      WITH f AS (
        SELECT f.*, a.code AS community_code_real, a.name AS community_name, a.estate_kind AS community_kind,
          f.code IS NOT NULL AND f.code ~ '^[0-9]{16}$' AND left(f.code, 12) = a.code AND right(f.code, 4) <> '0000' AS keep,
          ST_PointOnSurface(f.geom) AS pt
        FROM plan_import f JOIN admin_areas a ON a.id = f.community_id
      ), base AS (
        SELECT community_id, coalesce(max(right(code, 4)::int) FILTER (WHERE keep), 0) AS maxseq FROM f GROUP BY community_id
      ), numbered AS (
        SELECT f.*, CASE WHEN f.keep THEN right(f.code, 4)::int
          ELSE b.maxseq + row_number() OVER (PARTITION BY f.community_id, f.keep ORDER BY ST_X(f.pt), ST_Y(f.pt) DESC, f.i) END AS seq
        FROM f JOIN base b ON b.community_id = f.community_id
      )
      INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom, valid_from)
      SELECT community_code_real || lpad(seq::text, 4, '0'),
        coalesce(name, community_name || '第' || seq || '网格'), community_id, ${planId},
        (CASE WHEN community_kind = 'new' THEN 'new' ELSE 'old' END)::estate_kind,
        coalesce(target, CASE WHEN community_kind = 'new' THEN ${HOUSEHOLD_TARGET.new}::int ELSE ${HOUSEHOLD_TARGET.old}::int END),
        ST_Multi(ST_CollectionExtract(geom, 3)), NULL
      FROM numbered WHERE seq <= 9999`);
    if ((inserted.rowCount ?? 0) !== parsed.features.length)
      fail("bad_input", [{ feature: null, code: null, message: "a community would need more than 9999 grid numbers" }]);
    await tx.execute(
      sql`INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, detail)
          VALUES (${options.userId}, coalesce((SELECT role::text FROM users WHERE id = ${options.userId}), 'system'),
                  'import', 'plan', ${String(planId)},
                  ${JSON.stringify({ name: planName, features: parsed.features.length })}::jsonb)`,
    );
    return { planId, grids: parsed.features.length };
  });
}
