/**
 * PostGIS geometry steps of the hand edits (lib/plans/edits.ts). Geometries travel between statements as hex EWKB
 * (EPSG:4326, full double precision); every statement binds them as parameters.
 *
 * Exact cover: a touched area U (one grid, or the union of two) is always re-tiled by `tilePair`: the boundary of U and
 * the boundary of the candidate piece A (snapped onto U within SNAP_DEG) are noded together (floating precision, so
 * U's own vertices — shared with the untouched neighbours — stay bit-identical), polygonized, each face goes to A or
 * to the rest by its point-on-surface, and faces under SLIVER_DEG2 (≈ 1 m²) go to the face they share the longest
 * edge with. The two results are unions of faces of U: they tile U exactly, whatever projection A was built in.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import { SLIVER_DEG2, SNAP_DEG } from "@/lib/grids/create-draft-plan";
import { PlanError } from "./errors";

/** Hex EWKB of an EPSG:4326 geometry. */
export type Hex = string;

/** A line end inside the grid this close to its outline (metres) is extended to cross it. */
export const EXTEND_M = 5;
/** Area (m²) under which a piece is a sliver and goes to its neighbour. */
export const SLIVER_M2 = 1;
/** A piece without buildings is allowed only from this area (m²) on (a square, a park); smaller → refused. */
export const EMPTY_PIECE_MIN_M2 = 100;
/** Shared boundary length (m) from which two grids count as adjacent (not just touching at a point). */
export const MIN_SHARED_M = 1;
/** Footprint area (m²) on each side from which a building counts as cut by a line. */
const CUT_M2 = 0.01;
/**
 * Precision grid (degrees, ≈ 0.1 µm) of the overlays with building footprints: snap-rounded overlays are robust where
 * GEOS 3.11's floating-point overlay is not — a footprint whose edges run along a grid outline (the derived plan keeps
 * buildings whole that way) intersected with the union of two grids came out empty, so the building was not seen as
 * cut and a reshape split it. The pieces are re-tiled onto the region by `tilePair`, so the 1e-12° snap never shows.
 */
const OVERLAY_GRID_DEG = 1e-12;

export async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

export async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const r = await rows<T>(db, query);
  if (r.length === 0) throw new Error("expected one row");
  return r[0] as T;
}

/** The local UTM zone (EPSG code) of a geometry's centroid, as in tessellate.ts. */
export async function utmSrid(db: Db, g: Hex): Promise<number> {
  const r = await one<{ srid: number }>(
    db,
    sql`SELECT (CASE WHEN ST_Y(c) < 0 THEN 32700 ELSE 32600 END + floor((ST_X(c) + 180) / 6)::int + 1)::int AS srid
        FROM (SELECT ST_Centroid(${g}::geometry) AS c) x`,
  );
  return Number(r.srid);
}

/** Union of geometries (hex) as one geometry (hex). */
export async function unionOf(db: Db, parts: Hex[]): Promise<Hex> {
  const r = await one<{ g: Hex }>(
    db,
    sql`SELECT ST_UnaryUnion(ST_Collect(g))::text AS g FROM unnest(${`{${parts.join(",")}}`}::text[]) AS h, LATERAL (SELECT h::geometry AS g) x`,
  );
  return r.g;
}

/** Length (m) of the boundary two polygons share: (P(a) + P(b) − P(a ∪ b)) / 2, robust to unnoded edges. */
export async function sharedLengthM(db: Db, a: Hex, b: Hex): Promise<number> {
  const r = await one<{ len: number }>(
    db,
    sql`SELECT (ST_Perimeter(a::geography) + ST_Perimeter(b::geography) - ST_Perimeter(ST_Union(a, b)::geography)) / 2 AS len
        FROM (SELECT ${a}::geometry AS a, ${b}::geometry AS b) x`,
  );
  return Number(r.len);
}

/**
 * The line (lng/lat points) checked and extended: inside the city's extent, not crossing itself, each end that stops
 * inside `region` within EXTEND_M of its outline extended just past it (up to the first crossing, + 1 cm).
 * Returns the line in EPSG:4326 (hex).
 */
export async function prepareLine(db: Db, region: Hex, points: [number, number][], label: string): Promise<Hex> {
  const pts: [number, number][] = [];
  for (const p of points) {
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  if (pts.length < 2) throw new PlanError("bad_input", `line: needs at least 2 distinct points`);
  const geojson = JSON.stringify({ type: "LineString", coordinates: pts });
  const check = await one<{ inside: boolean; simple: boolean }>(
    db,
    sql`WITH l AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS l),
             city AS (SELECT ST_Expand(ST_SetSRID(ST_Extent(geom)::geometry, 4326), 0.01) AS e FROM admin_areas)
        SELECT coalesce(ST_Covers(city.e, l.l), false) AS inside, ST_IsSimple(l.l) AS simple FROM l, city`,
  );
  if (!check.inside) throw new PlanError("invalid_geometry", "line: lies (partly) outside the city");
  if (!check.simple) throw new PlanError("invalid_geometry", "line: crosses itself");
  const srid = await utmSrid(db, region);
  const proj = await one<{ coords: string; start_in: boolean; end_in: boolean; d0: number; d1: number }>(
    db,
    sql`WITH x AS (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326), ${srid}::int) AS l,
                          ST_Transform(${region}::geometry, ${srid}::int) AS r)
        SELECT ST_AsGeoJSON(l, 6) AS coords,
               ST_Contains(r, ST_StartPoint(l)) AS start_in, ST_Contains(r, ST_EndPoint(l)) AS end_in,
               ST_Distance(ST_Boundary(r), ST_StartPoint(l)) AS d0, ST_Distance(ST_Boundary(r), ST_EndPoint(l)) AS d1
        FROM x`,
  );
  const coords = (JSON.parse(proj.coords) as { coordinates: [number, number][] }).coordinates;
  const ray = async (from: [number, number], toward: [number, number]): Promise<[number, number] | null> => {
    const dx = from[0] - toward[0];
    const dy = from[1] - toward[1];
    const len = Math.hypot(dx, dy);
    if (len === 0) return null;
    const end: [number, number] = [from[0] + (dx / len) * EXTEND_M, from[1] + (dy / len) * EXTEND_M];
    const hit = await one<{ f: number | null }>(
      db,
      sql`WITH x AS (SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(${from[0]}::float8, ${from[1]}::float8),
                                                 ST_MakePoint(${end[0]}::float8, ${end[1]}::float8)), ${srid}::int) AS ray,
                            ST_Boundary(ST_Transform(${region}::geometry, ${srid}::int)) AS b)
          SELECT min(ST_LineLocatePoint(x.ray, p.geom)) AS f FROM x, ST_DumpPoints(ST_Intersection(x.ray, x.b)) p`,
    );
    if (hit.f === null) return null;
    const reach = Math.min(EXTEND_M, Number(hit.f) * EXTEND_M + 0.01);
    return [from[0] + (dx / len) * reach, from[1] + (dy / len) * reach];
  };
  const out = [...coords];
  // an end inside the region (or on its outline) near the outline is carried just past it
  const near = (inside: boolean, d: number) => (inside || d < 0.01) && d <= EXTEND_M;
  if (near(proj.start_in, Number(proj.d0)) && coords.length >= 2) {
    const p = await ray(coords[0] as [number, number], coords[1] as [number, number]);
    if (p) out.unshift(p);
  }
  if (near(proj.end_in, Number(proj.d1)) && coords.length >= 2) {
    const n = coords.length;
    const p = await ray(coords[n - 1] as [number, number], coords[n - 2] as [number, number]);
    if (p) out.push(p);
  }
  const line = await one<{ g: Hex; simple: boolean }>(
    db,
    sql`SELECT ST_Transform(l, 4326)::text AS g, ST_IsSimple(l) AS simple
        FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: "LineString", coordinates: out })}), ${srid}::int) AS l) x`,
  );
  if (!line.simple)
    throw new PlanError("invalid_geometry", `line: crosses itself once extended to the outline of ${label}`);
  return line.g;
}

/**
 * Split `region` by `line` into pieces; pieces under SLIVER_M2 are left out (the tiling gives them to a neighbour).
 * Returns the pieces largest first.
 */
export async function splitPieces(db: Db, region: Hex, line: Hex): Promise<Array<{ g: Hex; areaM2: number }>> {
  const r = await rows<{ g: Hex; area: number }>(
    db,
    sql`SELECT p.geom::text AS g, ST_Area(p.geom::geography) AS area
        FROM ST_Dump(ST_Split(${region}::geometry, ${line}::geometry)) p
        WHERE ST_Area(p.geom::geography) >= ${SLIVER_M2}::float8
        ORDER BY 2 DESC`,
  );
  return r.map((x) => ({ g: x.g, areaM2: Number(x.area) }));
}

/**
 * Buildings (point-on-surface in `region`) cut by the boundary between `a` and the rest of `region` go wholly to the
 * side holding most of their footprint: returns `a` grown by the footprints going to it and shrunk by those leaving.
 */
export async function keepBuildingsWhole(
  db: Db,
  region: Hex,
  a: Hex,
): Promise<{ a: Hex; cut: Array<{ id: number; toA: boolean }> }> {
  const cut = await rows<{ id: number; to_a: boolean; f: Hex }>(
    db,
    sql`WITH x AS (SELECT ${region}::geometry AS u, ${a}::geometry AS a),
        b AS (
          SELECT b.id, ST_CollectionExtract(ST_Intersection(b.geom, x.u, ${OVERLAY_GRID_DEG}::float8), 3) AS f, x.a, x.u
          FROM buildings b, x WHERE b.geom && x.u AND ST_Intersects(x.u, ST_PointOnSurface(b.geom))
        ), s AS (
          SELECT id, f, ST_Area(ST_Intersection(f, a, ${OVERLAY_GRID_DEG}::float8)::geography) AS in_a,
                 ST_Area(ST_Difference(f, a, ${OVERLAY_GRID_DEG}::float8)::geography) AS out_a FROM b WHERE NOT ST_IsEmpty(f)
        )
        SELECT id, in_a >= out_a AS to_a, f::text AS f FROM s
        WHERE in_a > ${CUT_M2}::float8 AND out_a > ${CUT_M2}::float8 ORDER BY id`,
  );
  if (cut.length === 0) return { a, cut: [] };
  const toA = cut.filter((c) => c.to_a).map((c) => c.f);
  const fromA = cut.filter((c) => !c.to_a).map((c) => c.f);
  const r = await one<{ g: Hex }>(
    db,
    sql`WITH e AS (SELECT ST_SetSRID('POLYGON EMPTY'::geometry, 4326) AS e)
        SELECT ST_Union(
                 ST_Difference(${a}::geometry,
                   coalesce((SELECT ST_UnaryUnion(ST_Collect(f), ${OVERLAY_GRID_DEG}::float8) FROM unnest(${`{${fromA.join(",")}}`}::text[]) h, LATERAL (SELECT h::geometry AS f) x), e.e),
                   ${OVERLAY_GRID_DEG}::float8),
                 coalesce((SELECT ST_UnaryUnion(ST_Collect(f), ${OVERLAY_GRID_DEG}::float8) FROM unnest(${`{${toA.join(",")}}`}::text[]) h, LATERAL (SELECT h::geometry AS f) x), e.e),
                 ${OVERLAY_GRID_DEG}::float8)::text AS g
        FROM e`,
  );
  return { a: r.g, cut: cut.map((c) => ({ id: Number(c.id), toA: c.to_a })) };
}

export interface TiledPair {
  /** null when no face went to that side. */
  a: Hex | null;
  b: Hex | null;
  aParts: number;
  bParts: number;
}

/** Re-tile `region` exactly into the candidate `a` and the rest (see the module comment). */
export async function tilePair(db: Db, region: Hex, a: Hex): Promise<TiledPair> {
  await db.execute(sql`DROP TABLE IF EXISTS pedit_faces`);
  await db.execute(sql`
    CREATE TEMP TABLE pedit_faces ON COMMIT DROP AS
    WITH x AS (SELECT ${region}::geometry AS u, ST_CollectionExtract(ST_Intersection(${a}::geometry, ${region}::geometry), 3) AS a),
    lines AS (
      SELECT ST_UnaryUnion(ST_Collect(ST_Boundary(x.u), ST_Snap(ST_Boundary(x.a), x.u, ${SNAP_DEG}::float8))) AS l FROM x
    ), faces AS (SELECT (ST_Dump(ST_Polygonize(l))).geom AS f FROM lines)
    SELECT row_number() OVER ()::int AS fid, f.f, ST_Area(f.f) < ${SLIVER_DEG2}::float8 AS sliver,
           CASE WHEN ST_Area(f.f) < ${SLIVER_DEG2}::float8 THEN NULL
                WHEN ST_Intersects(x.a, ST_PointOnSurface(f.f)) THEN 0 ELSE 1 END AS key
    FROM faces f, x WHERE ST_Area(f.f) > 0 AND ST_Intersects(x.u, ST_PointOnSurface(f.f))`);
  for (let round = 0; round < 8; round++) {
    const updated = await db.execute(sql`
      UPDATE pedit_faces x SET key = n.key FROM (
        SELECT DISTINCT ON (x.fid) x.fid, y.key FROM pedit_faces x JOIN pedit_faces y
          ON y.key IS NOT NULL AND y.f && x.f AND ST_Intersects(y.f, x.f)
        CROSS JOIN LATERAL (SELECT ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(x.f), ST_Boundary(y.f)), 2)) AS len) s
        WHERE x.key IS NULL AND s.len > 0
        ORDER BY x.fid, s.len DESC, y.key) n
      WHERE n.fid = x.fid`);
    if ((updated.rowCount ?? 0) === 0) break;
  }
  await db.execute(sql`
    UPDATE pedit_faces x SET key = CASE WHEN ST_Intersects(${a}::geometry, ST_PointOnSurface(x.f)) THEN 0 ELSE 1 END
    WHERE x.key IS NULL`);
  const r = await rows<{ key: number; g: Hex; parts: number }>(
    db,
    sql`SELECT key, g::text AS g, ST_NumGeometries(g)::int AS parts FROM (
          SELECT key, ST_UnaryUnion(ST_Collect(f)) AS g FROM pedit_faces GROUP BY key) s ORDER BY key`,
  );
  const pa = r.find((x) => Number(x.key) === 0);
  const pb = r.find((x) => Number(x.key) === 1);
  return {
    a: pa?.g ?? null,
    b: pb?.g ?? null,
    aParts: pa ? Number(pa.parts) : 0,
    bParts: pb ? Number(pb.parts) : 0,
  };
}

export interface PieceStats {
  households: number;
  buildings: number;
  areaM2: number;
  parts: number;
}

/** Households and buildings (by point-on-surface), area and number of polygon parts of a piece. */
export async function pieceStats(db: Db, g: Hex): Promise<PieceStats> {
  const r = await one<{ h: number; n: number; area: number; parts: number }>(
    db,
    sql`WITH x AS (SELECT ${g}::geometry AS g)
        SELECT coalesce((SELECT sum(b.households) FROM buildings b WHERE b.geom && x.g AND ST_Intersects(x.g, ST_PointOnSurface(b.geom))), 0)::int AS h,
               (SELECT count(*) FROM buildings b WHERE b.geom && x.g AND ST_Intersects(x.g, ST_PointOnSurface(b.geom)))::int AS n,
               ST_Area(x.g::geography) AS area, ST_NumGeometries(ST_UnaryUnion(x.g))::int AS parts
        FROM x`,
  );
  return { households: Number(r.h), buildings: Number(r.n), areaM2: Number(r.area), parts: Number(r.parts) };
}

/** Area (m²) of the intersection of two geometries. */
export async function overlapM2(db: Db, a: Hex, b: Hex): Promise<number> {
  const r = await one<{ area: number }>(
    db,
    sql`SELECT coalesce(ST_Area(ST_Intersection(${a}::geometry, ${b}::geometry)::geography), 0) AS area`,
  );
  return Number(r.area);
}
