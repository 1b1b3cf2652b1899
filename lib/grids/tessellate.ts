/**
 * Tessellation of communities into building cells (PostGIS), the input of the automatic partition.
 *
 * Per community, in a local UTM projection with a 1 mm fixed-precision overlay (so shared edges are bit-identical):
 * 1. blocks = polygonize(community boundary ∪ roads), leaving out road pieces that run through a building; every
 *    block is one polygon (a face the 1 mm rounding pinches into pieces gives one block per piece);
 * 2. each building's cell = union of the Voronoi polygons of its densified outline, inside its block; building
 *    footprints always stay with their own building, so no cell cuts a building; a block without buildings is one cell;
 * 3. cells are dumped to single polygons (a stray piece of a building's cell becomes an empty-land cell of its own);
 * 4. adjacency between cells with the shared-edge length and the part of it running along a road or path.
 * Cells tile each community exactly, so grids built as unions of cells do too. `tessellateRegion` does the same for
 * one community clipped to a region (the union of two grids: pair re-split of a draft).
 *
 * Temp tables `ptess_*` are created ON COMMIT DROP: call inside a transaction and keep using the same handle.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import { MAJOR_ROAD_CLASSES, MINOR_ROAD_CLASSES } from "@/lib/import/osm-rules";
import type { CellEdge, CellGraph, CellNode } from "./graph";

/** Overlay precision in metres. */
export const PRECISION_M = 0.001;
/** Spacing of the points sampled along building outlines (metres). */
export const SAMPLE_SPACING_M = 5;
/** Distance from a road or path within which a shared cell edge counts as running along it (metres). */
export const ROAD_BUFFER_M = 2;

export interface CommunityTessellation {
  communityId: number;
  code: string;
  name: string;
  estateKind: "old" | "new" | "mixed" | null;
  households: number;
  blocks: number;
  graph: CellGraph;
}

export interface Tessellation {
  srid: number;
  communities: CommunityTessellation[];
  durationMs: number;
}

/** A Postgres array literal passed as ONE parameter (drizzle would expand a JS array into a tuple). */
export function pgArray(values: ReadonlyArray<number | string>): string {
  return `{${values.map((v) => (typeof v === "number" ? String(v) : `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`)).join(",")}}`;
}

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await db.execute(query);
  return result.rows as T[];
}

/** Tessellate the given communities (admin_areas ids, level community). Must run inside a transaction. */
export async function tessellate(
  db: Db,
  communityIds: readonly number[],
  onStep?: (step: string, ms: number) => void,
): Promise<Tessellation> {
  return run(db, communityIds, null, onStep);
}

export interface RegionTessellation {
  srid: number;
  communityId: number;
  households: number;
  blocks: number;
  graph: CellGraph;
  durationMs: number;
}

/**
 * Tessellate only the part of one community inside `region` (EPSG:4326 geometry as hex EWKB, e.g. the union of two
 * grids): the same rules as `tessellate()` — blocks from roads ∩ region, building cells by Voronoi of the densified
 * outlines, footprints kept whole — with the region's outline in place of the community boundary, so the cells tile
 * community ∩ region. The cells stay in the temp table `ptess_cells` (id, comm, block, building, households, g in the
 * returned UTM `srid`) for the caller to union. Must run inside a transaction.
 */
export async function tessellateRegion(
  db: Db,
  communityId: number,
  region: string,
  onStep?: (step: string, ms: number) => void,
): Promise<RegionTessellation> {
  const t = await run(db, [communityId], region, onStep);
  const c = t.communities[0];
  return {
    srid: t.srid,
    communityId,
    households: c?.households ?? 0,
    blocks: c?.blocks ?? 0,
    graph: c?.graph ?? { nodes: [], edges: [], together: [] },
    durationMs: t.durationMs,
  };
}

/**
 * Households of the whole road block(s) of the community that each block of the last `tessellateRegion` run is part
 * of (by block id of `ptess_blocks`; the sum when it overlaps several): a region's blocks are parts of the community's
 * blocks, and the partition keeps a block whole only when the WHOLE block fits in one grid
 * (`PartitionOptions.blockHouseholds`).
 * The community's blocks follow the same rule as `tessellate()` (boundary ∪ block-forming roads, without road pieces
 * through a building); a building counts in the block holding its point-on-surface. Call in the same transaction.
 */
export async function wholeBlockHouseholds(db: Db, communityId: number, srid: number): Promise<Map<number, number>> {
  const faces = await communityFaces(db, communityId, srid);
  if (faces.ids.length === 0) return new Map();
  const found = await rows<{ id: number; households: number }>(
    db,
    sql`WITH faces AS (
          SELECT f.fid, f.g::geometry AS g, f.households
          FROM unnest(${pgArray(faces.ids)}::int[], ${pgArray(faces.wkb)}::text[], ${pgArray(faces.households)}::int[])
               AS f(fid, g, households)
        ), cand AS (
          SELECT k.id, f.fid, ST_Area(ST_Intersection(f.g, k.g)) AS overlap,
                 ST_Intersects(f.g, ST_PointOnSurface(k.g)) AS holds
          FROM ptess_blocks k JOIN faces f ON f.g && k.g
        ), matched AS (
          -- the faces the block overlaps (a region block may join community blocks: a road that closes them runs
          -- outside the region), or the one holding its point-on-surface (a sliver)
          SELECT DISTINCT c.id, c.fid FROM cand c WHERE c.overlap > 1 OR c.holds
        )
        SELECT m.id, sum(f.households)::int AS households FROM matched m JOIN faces f ON f.fid = m.fid GROUP BY m.id`,
  );
  return new Map(found.map((r) => [Number(r.id), Number(r.households)]));
}

interface CommunityFaces {
  ids: number[];
  /** hex EWKB (lossless) in the UTM srid of the key */
  wkb: string[];
  households: number[];
}

/** Whole-community blocks by community, srid and data version (see `communityFaces`); a few communities are enough. */
const facesCache = new Map<string, CommunityFaces>();
const FACES_CACHE_SIZE = 32;

/**
 * The community's blocks (faces of boundary ∪ block-forming roads, without road pieces through a building) with the
 * households of the inhabited buildings whose point-on-surface they hold. Cached per community, srid and data
 * version: the version is a digest of the exact row versions (id, xmin, ctid) of the community row, its buildings and
 * the roads over its bounding box, so any insert, update or delete of an input — committed or in the caller's own
 * transaction — gives a new key (a rolled-back change returns to the old key, whose entry is still right).
 */
async function communityFaces(db: Db, communityId: number, srid: number): Promise<CommunityFaces> {
  const versionRow = await rows<{ v: string | null }>(
    db,
    sql`SELECT md5(concat_ws('|',
          (SELECT string_agg(a.id || ':' || a.xmin || ':' || a.ctid, ',') FROM admin_areas a WHERE a.id = ${communityId}::int),
          (SELECT string_agg(b.id || ':' || b.xmin || ':' || b.ctid, ',' ORDER BY b.id) FROM buildings b
           WHERE b.community_id = ${communityId}::int),
          (SELECT string_agg(r.id || ':' || r.xmin || ':' || r.ctid, ',' ORDER BY r.id) FROM basemap_roads r
           JOIN admin_areas a ON a.id = ${communityId}::int AND r.geom && a.geom))) AS v`,
  );
  const key = `${communityId}:${srid}:${versionRow[0]?.v ?? ""}`;
  const cached = facesCache.get(key);
  if (cached) return cached;
  const P = PRECISION_M;
  const blockClasses = [...MAJOR_ROAD_CLASSES, ...MINOR_ROAD_CLASSES];
  const found = await rows<{ fid: number; g: string; households: number }>(
    db,
    sql`WITH comm AS (
          SELECT a.geom AS g4, ST_ReducePrecision(ST_Transform(a.geom, ${srid}::int), ${P}::float8) AS g
          FROM admin_areas a WHERE a.id = ${communityId}::int AND a.level = 'community'
        ), raw AS (
          SELECT b.households, ST_Transform(b.geom, ${srid}::int) AS g FROM buildings b WHERE b.community_id = ${communityId}::int
        ), bld AS (
          -- clipped to the community like tessellate()'s footprints (the boundary is no road through a building)
          SELECT r.households, ST_PointOnSurface(r.g) AS pos,
                 CASE WHEN ST_CoveredBy(r.g, c.g) THEN r.g ELSE ST_CollectionExtract(ST_Intersection(r.g, c.g), 3) END AS g
          FROM raw r, comm c
        ), lines AS (
          SELECT (ST_Dump(ST_UnaryUnion(ST_Collect(ST_Boundary(c.g), coalesce(
            (SELECT ST_Collect(ST_CollectionExtract(ST_Intersection(ST_Transform(r.geom, ${srid}::int), c.g), 2))
             FROM basemap_roads r WHERE r.geom && c.g4 AND r.kind = ANY(${pgArray(blockClasses)}::text[]) AND NOT r.tunnel),
            -- the empty fallback carries the SRID, else ST_Collect fails with "mixed SRID" where no road forms blocks
            ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, ST_SRID(c.g))))))).geom AS g
          FROM comm c
        ), kept AS (
          SELECT l.g FROM lines l WHERE NOT EXISTS (
            SELECT 1 FROM bld b WHERE b.g && l.g AND ST_Relate(l.g, b.g, '1********')
              AND ST_Length(ST_Intersection(l.g, ST_Buffer(b.g, -0.05))) > 0.5)
        ), faces AS (
          SELECT row_number() OVER () AS fid, f.g FROM (SELECT (ST_Dump(ST_Polygonize(g))).geom AS g FROM kept) f
        )
        SELECT f.fid::int AS fid, f.g::text AS g,
               (SELECT coalesce(sum(b.households), 0) FROM bld b
                WHERE b.households > 0 AND b.pos && f.g AND ST_Intersects(f.g, b.pos))::int AS households
        FROM faces f ORDER BY f.fid`,
  );
  const faces: CommunityFaces = {
    ids: found.map((r) => Number(r.fid)),
    wkb: found.map((r) => r.g),
    households: found.map((r) => Number(r.households)),
  };
  if (facesCache.size >= FACES_CACHE_SIZE) {
    const oldest = facesCache.keys().next().value;
    if (oldest !== undefined) facesCache.delete(oldest);
  }
  facesCache.set(key, faces);
  return faces;
}

/** The UTM zone (EPSG code) of the centroid of the communities, or of the region when given. */
async function utmSrid(db: Db, ids: readonly number[], region: string | null): Promise<number> {
  const sridRow = await rows<{ srid: number }>(
    db,
    sql`SELECT (CASE WHEN ST_Y(c) < 0 THEN 32700 ELSE 32600 END + floor((ST_X(c) + 180) / 6)::int + 1)::int AS srid
        FROM (SELECT ST_Centroid(coalesce(${region}::geometry, ST_Collect(geom))) AS c
              FROM admin_areas WHERE id = ANY(${pgArray(ids)}::int[])) x`,
  );
  return sridRow[0]?.srid ?? 32650;
}

/**
 * `tessellate()` with the communities spread over `concurrency` sessions of `pool` (a database handle on a pool, NOT a
 * transaction: each community runs in its own transaction (temp tables only, nothing written) on its own connection, so it sees committed data
 * only), then the cells loaded into `tx`'s temp table `ptess_cells` (hex EWKB, lossless) for the caller's writes.
 * Every community is tessellated on its own anyway (blocks, cells and adjacency never cross a community), in the
 * UTM zone of all of them, and its cell and block ids are shifted as one run numbers them (by community id), so the
 * result — graph and `ptess_cells` — is the one `tessellate(tx, communityIds)` gives. `onStep` reports each
 * community's steps as they end (interleaved). Call inside `tx`'s transaction.
 */
export async function tessellateConcurrently(
  pool: Db,
  tx: Db,
  communityIds: readonly number[],
  onStep?: (step: string, ms: number) => void,
  concurrency = 2,
): Promise<Tessellation> {
  const started = performance.now();
  const ids = [...new Set(communityIds)].sort((a, b) => a - b);
  const srid = await utmSrid(tx, ids, null);
  const results: Array<{ community: CommunityTessellation | undefined; cells: CellRow[] }> = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index] as number;
      results[index] = await pool.transaction(async (session) => {
        const sdb = session as unknown as Db; // safe: a drizzle transaction exposes the database handle's query API
        const t = await run(sdb, [id], null, onStep, srid);
        const cells = await rows<CellRow>(
          sdb,
          sql`SELECT id, block, building, households, g::text AS g FROM ptess_cells ORDER BY id`,
        );
        return { community: t.communities[0], cells };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ids.length)) }, worker));

  // ids as one run numbers them: cells and blocks ordered by community id first
  let cellOffset = 0;
  let blockOffset = 0;
  const communities: CommunityTessellation[] = [];
  const cellIds: number[] = [];
  const cellComms: number[] = [];
  const cellBlocks: number[] = [];
  const cellBuildings: number[] = [];
  const cellHouseholds: number[] = [];
  const cellGeoms: string[] = [];
  for (const [index, r] of results.entries()) {
    const c = r.community;
    for (const cell of r.cells) {
      cellIds.push(Number(cell.id) + cellOffset);
      cellComms.push(ids[index] as number);
      cellBlocks.push(Number(cell.block) + blockOffset);
      cellBuildings.push(cell.building === null ? 0 : Number(cell.building)); // building ids are serial (> 0)
      cellHouseholds.push(Number(cell.households));
      cellGeoms.push(cell.g);
    }
    if (c) {
      const co = cellOffset;
      const bo = blockOffset;
      communities.push({
        ...c,
        graph: {
          nodes: c.graph.nodes.map((n) => ({ ...n, id: n.id + co, blockId: n.blockId + bo })),
          edges: c.graph.edges.map((e) => ({ ...e, a: e.a + co, b: e.b + co })),
          together: (c.graph.together ?? []).map(([a, b]): [number, number] => [a + co, b + co]),
        },
      });
      blockOffset += c.blocks;
    }
    cellOffset += r.cells.length;
  }
  communities.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  await tx.execute(sql`DROP TABLE IF EXISTS ptess_cells`);
  await tx.execute(sql`
    CREATE TEMP TABLE ptess_cells ON COMMIT DROP AS
    SELECT c.id, c.comm, c.block, NULLIF(c.building, 0) AS building, c.households, ST_SetSRID(c.g::geometry, ${srid}::int) AS g
    FROM unnest(${pgArray(cellIds)}::int[], ${pgArray(cellComms)}::int[], ${pgArray(cellBlocks)}::int[],
                ${pgArray(cellBuildings)}::int[], ${pgArray(cellHouseholds)}::int[], ${pgArray(cellGeoms)}::text[])
         AS c(id, comm, block, building, households, g)`);
  await tx.execute(sql`CREATE INDEX ON ptess_cells USING gist (g)`);
  await tx.execute(sql`ANALYZE ptess_cells`);
  return { srid, communities, durationMs: performance.now() - started };
}

interface CellRow {
  id: number;
  comm: number;
  block: number;
  building: number | null;
  households: number;
  /** hex EWKB */
  g: string;
}

interface EdgeRow {
  comm: number;
  a: number;
  b: number;
  length_m: number;
  road_m: number;
}

/** This session's share of a community's blocks (`blockShare`) and what to do with the cells. */
interface BlockShare {
  share: 0 | 1;
  /** helper session: hand the cells over as soon as they exist, then the edges inside its blocks, and stop */
  collect?: (cells: CellRow[]) => void;
  collectEdges?: (edges: EdgeRow[]) => void;
  /** main session: the helper's cells, merged before the adjacency, and its edges (in its own cell ids) */
  other?: Promise<CellRow[]>;
  edges?: Promise<EdgeRow[]>;
}

async function cellRows(db: Db): Promise<CellRow[]> {
  return rows<CellRow>(
    db,
    sql`SELECT id, comm, block, building, households, g::text AS g FROM ptess_cells ORDER BY id`,
  );
}

/**
 * The blocks of share 0 or 1 of a split run: the blocks weighed by the outline length of the footprints they hold (the
 * per-block work is linear in the outline samples), heaviest first, each to the lighter share (ties to share 0, then by
 * block id) — the same answer in both sessions, which derive the same blocks.
 */
async function blockShare(db: Db, share: 0 | 1): Promise<number[]> {
  const weights = await rows<{ id: number; w: number }>(
    db,
    sql`SELECT k.id, coalesce(sum(ST_Perimeter(b.g)), 0) + 1 AS w FROM ptess_blocks k
        LEFT JOIN ptess_bld b ON b.comm = k.comm AND b.g && k.g AND ST_Intersects(k.g, ST_PointOnSurface(b.g))
        GROUP BY k.id ORDER BY k.id`,
  );
  const sorted = weights.map((r) => ({ id: Number(r.id), w: Number(r.w) })).sort((a, b) => b.w - a.w || a.id - b.id);
  const load = [0, 0];
  const out: number[] = [];
  for (const b of sorted) {
    const to = (load[1] ?? 0) < (load[0] ?? 0) ? 1 : 0;
    load[to] = (load[to] ?? 0) + b.w;
    if (to === share) out.push(b.id);
  }
  return out;
}

/**
 * `tessellate()` of ONE community with its blocks shared between `tx` and one session of `pool` (a handle on a pool,
 * NOT a transaction; that session sees committed data only): both derive the same blocks, each runs the per-block
 * steps (footprints, samples, Voronoi, owners, raw cells, cells) on its share of them (`blockShare`), and `tx` merges the
 * helper's cells (hex EWKB, lossless) as soon as they exist and numbers them as one run does; the adjacency of pairs
 * inside the helper's blocks is measured there (then mapped to the merged ids), of all other pairs in `tx`.
 * Same graph and `ptess_cells` as `tessellate(tx, [communityId])`. Call inside `tx`'s transaction.
 */
export async function tessellateSplit(
  pool: Db,
  tx: Db,
  communityId: number,
  onStep?: (step: string, ms: number) => void,
): Promise<Tessellation> {
  const srid = await utmSrid(tx, [communityId], null);
  let cellsDone: (cells: CellRow[]) => void = () => undefined;
  let cellsFailed: (error: unknown) => void = () => undefined;
  const other = new Promise<CellRow[]>((resolve, reject) => {
    cellsDone = resolve;
    cellsFailed = reject;
  });
  let collectedEdges: EdgeRow[] = [];
  const edges = pool.transaction(async (session) => {
    // safe: a drizzle transaction exposes the database handle's query API
    await run(session as unknown as Db, [communityId], null, undefined, srid, {
      share: 1,
      collect: cellsDone,
      collectEdges: (found) => {
        collectedEdges = found;
      },
    });
    return collectedEdges;
  });
  // a helper failing before its cells fails the main session's wait; neither rejection is left unhandled
  edges.catch(cellsFailed);
  other.catch(() => undefined);
  return run(tx, [communityId], null, onStep, srid, { share: 0, other, edges });
}

async function run(
  db: Db,
  communityIds: readonly number[],
  region: string | null,
  onStep?: (step: string, ms: number) => void,
  fixedSrid?: number,
  split?: BlockShare,
): Promise<Tessellation> {
  const started = performance.now();
  let last = started;
  const step = (name: string) => {
    const now = performance.now();
    onStep?.(name, now - last);
    last = now;
  };
  const ids = [...new Set(communityIds)].sort((a, b) => a - b);
  const P = PRECISION_M;
  const blockClasses = [...MAJOR_ROAD_CLASSES, ...MINOR_ROAD_CLASSES];
  const srid = fixedSrid ?? (await utmSrid(db, ids, region));

  // one statement for all of them (a second run in the same transaction finds them)
  await db.execute(
    sql.raw(
      `DROP TABLE IF EXISTS ${[
        "ptess_comm",
        "ptess_roads",
        "ptess_bld",
        "ptess_overlap",
        "ptess_lines",
        "ptess_blocks",
        "ptess_fp",
        "ptess_samples",
        "ptess_vor",
        "ptess_owner",
        "ptess_raw",
        "ptess_roadbuf",
        "ptess_cells",
        "ptess_cells_all",
        "ptess_adj",
      ].join(", ")}`,
    ),
  );

  await db.execute(sql`
    CREATE TEMP TABLE ptess_comm ON COMMIT DROP AS
    SELECT id, code, name, estate_kind, ST_ReducePrecision(ST_Transform(CASE WHEN ${region}::geometry IS NULL THEN geom
             ELSE ST_CollectionExtract(ST_Intersection(geom, ${region}::geometry), 3) END, ${srid}::int), ${P}::float8) AS g
    FROM admin_areas WHERE id = ANY(${pgArray(ids)}::int[]) AND level = 'community'`);
  step("comm");
  await db.execute(sql`
    CREATE TEMP TABLE ptess_roads ON COMMIT DROP AS
    SELECT c.id AS comm, (r.kind = ANY(${pgArray(blockClasses)}::text[]) AND NOT r.tunnel) AS forms_blocks,
           ST_CollectionExtract(ST_Intersection(ST_Transform(r.geom, ${srid}::int), c.g), 2) AS g
    FROM ptess_comm c JOIN admin_areas a ON a.id = c.id JOIN basemap_roads r ON r.geom && a.geom
    WHERE (${region}::geometry IS NULL OR r.geom && ${region}::geometry) AND NOT r.tunnel AND ST_Intersects(ST_Transform(r.geom, ${srid}::int), c.g)`);
  step("roads");
  await db.execute(sql`
    CREATE TEMP TABLE ptess_bld ON COMMIT DROP AS
    SELECT b.id, c.id AS comm, b.households,
           ST_CollectionExtract(ST_Intersection(ST_ReducePrecision(ST_Transform(b.geom, ${srid}::int), ${P}::float8), c.g, ${P}::float8), 3) AS g
    FROM ptess_comm c JOIN buildings b ON b.community_id = c.id
    WHERE ${region}::geometry IS NULL
       OR (b.geom && ${region}::geometry AND ST_Intersects(${region}::geometry, ST_PointOnSurface(b.geom)))`);
  step("buildings");
  await db.execute(sql`DELETE FROM ptess_bld WHERE ST_IsEmpty(g) OR ST_Area(g) < 0.01`);
  await db.execute(sql`CREATE INDEX ON ptess_bld USING gist (g)`);
  // temp tables are never auto-analyzed: without statistics the planner guesses the spatial joins below
  await db.execute(sql`ANALYZE ptess_bld`);
  // overlapping footprints (OSM): the higher id gives way, so footprints are disjoint; the pair stays in one grid
  await db.execute(sql`
    CREATE TEMP TABLE ptess_overlap ON COMMIT DROP AS
    SELECT o.id AS a, b.id AS b FROM ptess_bld b JOIN ptess_bld o
      ON o.comm = b.comm AND o.id < b.id AND o.g && b.g AND ST_Relate(o.g, b.g, '2********')`);
  await db.execute(sql`
    UPDATE ptess_bld b SET g = ST_CollectionExtract(ST_Difference(b.g, o.u, ${P}::float8), 3)
    FROM (SELECT b.id, ST_Union(o.g) AS u FROM ptess_bld b JOIN ptess_bld o
            ON o.comm = b.comm AND o.id < b.id AND o.g && b.g AND ST_Relate(o.g, b.g, '2********')
          GROUP BY b.id) o
    WHERE o.id = b.id`);
  await db.execute(sql`DELETE FROM ptess_bld WHERE ST_IsEmpty(g) OR ST_Area(g) < 0.01`);

  // blocks: polygonize boundary ∪ roads, without road pieces that run through a building
  await db.execute(sql`
    CREATE TEMP TABLE ptess_lines ON COMMIT DROP AS
    SELECT n.comm, (ST_Dump(n.g)).geom AS g FROM (
      SELECT c.id AS comm, ST_UnaryUnion(ST_Collect(ST_Boundary(c.g), coalesce(
        (SELECT ST_Collect(r.g) FROM ptess_roads r WHERE r.comm = c.id AND r.forms_blocks AND NOT ST_IsEmpty(r.g)),
        ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, ST_SRID(c.g))))) AS g
      FROM ptess_comm c) n`);
  step("lines");
  await db.execute(sql`
    DELETE FROM ptess_lines l WHERE EXISTS (
      SELECT 1 FROM ptess_bld b WHERE b.comm = l.comm AND b.g && l.g AND ST_Relate(l.g, b.g, '1********')
        AND ST_Length(ST_Intersection(l.g, ST_Buffer(b.g, -0.05))) > 0.5)`);
  await db.execute(sql`
    CREATE TEMP TABLE ptess_blocks ON COMMIT DROP AS
    WITH faces AS (
      SELECT l.comm, (ST_Dump(ST_Polygonize(l.g))).geom AS g FROM ptess_lines l GROUP BY l.comm
    ), kept AS (
      -- the 1 mm rounding can pinch a face into pieces: every block is one polygon
      SELECT f.comm, (ST_Dump(ST_CollectionExtract(ST_ReducePrecision(f.g, ${P}::float8), 3))).geom AS g
      FROM faces f JOIN ptess_comm c ON c.id = f.comm WHERE ST_Intersects(ST_PointOnSurface(f.g), c.g)
    )
    SELECT row_number() OVER (ORDER BY comm, ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g)) DESC)::int AS id,
           comm, g
    FROM kept WHERE NOT ST_IsEmpty(g) AND ST_Area(g) > 0`);
  step("blocks");
  await db.execute(sql`CREATE INDEX ON ptess_blocks USING gist (g)`);
  await db.execute(sql`ANALYZE ptess_blocks`);
  // a share of the blocks (split run): the per-block steps (footprints to cells) run on this session's blocks only
  const mine = split ? pgArray(await blockShare(db, split.share)) : null;

  // each building's footprint inside its block (the block holding its point-on-surface)
  await db.execute(sql`
    CREATE TEMP TABLE ptess_fp ON COMMIT DROP AS
    SELECT b.id, b.comm, b.households, k.id AS block,
           ST_CollectionExtract(ST_Intersection(b.g, k.g, ${P}::float8), 3) AS g
    FROM ptess_bld b CROSS JOIN LATERAL (
      SELECT k.id, k.g FROM ptess_blocks k WHERE k.comm = b.comm AND k.g && b.g
      ORDER BY NOT ST_Intersects(k.g, ST_PointOnSurface(b.g)), ST_Area(ST_Intersection(k.g, b.g)) DESC, k.id LIMIT 1) k
    WHERE ${mine}::int[] IS NULL OR k.id = ANY(${mine}::int[])`);
  step("footprints");
  await db.execute(sql`DELETE FROM ptess_fp WHERE ST_IsEmpty(g) OR ST_Area(g) < 0.01`);
  await db.execute(sql`CREATE INDEX ON ptess_fp USING gist (g)`);
  await db.execute(sql`ANALYZE ptess_fp`);
  await db.execute(sql`
    CREATE TEMP TABLE ptess_samples ON COMMIT DROP AS
    SELECT DISTINCT ON (block, ST_X(p), ST_Y(p)) block, id, p FROM (
      SELECT f.block, f.id, (ST_DumpPoints(ST_Segmentize(ST_Boundary(f.g), ${SAMPLE_SPACING_M}::float8))).geom AS p
      FROM ptess_fp f) s
    ORDER BY block, ST_X(p), ST_Y(p), id`);
  step("samples");
  await db.execute(sql`CREATE INDEX ON ptess_samples USING gist (p)`);
  await db.execute(sql`ANALYZE ptess_samples`);
  // Voronoi of the samples per block, each polygon to the building of its generator, clipped to the block
  await db.execute(sql`
    CREATE TEMP TABLE ptess_vor ON COMMIT DROP AS
    SELECT row_number() OVER () AS vid, x.block, x.v FROM (
      SELECT s.block, (ST_Dump(ST_VoronoiPolygons(ST_Collect(s.p), 0, ST_Expand(k.g, 50)))).geom AS v
      FROM ptess_samples s JOIN ptess_blocks k ON k.id = s.block GROUP BY s.block, k.g) x`);
  step("voronoi");
  // each polygon to the building of the sample inside it: one index probe per sample (point → polygons) is cheaper
  // than one per polygon (polygon → points)
  await db.execute(sql`CREATE INDEX ON ptess_vor USING gist (v)`);
  await db.execute(sql`ANALYZE ptess_vor`);
  await db.execute(sql`
    CREATE TEMP TABLE ptess_owner ON COMMIT DROP AS
    SELECT v.block, v.v, o.id FROM (
      SELECT DISTINCT ON (v.vid) v.vid, s.id FROM ptess_samples s
      JOIN ptess_vor v ON v.v && s.p AND v.block = s.block AND ST_Intersects(v.v, s.p)
      ORDER BY v.vid, s.id) o
    JOIN ptess_vor v ON v.vid = o.vid`);
  step("owners");
  // a region (pair re-split, interactive) unions each building's Voronoi polygons in floating precision — they come
  // from one diagram and share exact edges — before the same 1 mm intersection with the block: 2.5× faster than the
  // fixed-precision union the whole-community run keeps (4.0 → 1.5 s on the synthetic street). The community run
  // keeps it because the cells, hence the partition, would change: a few shared lengths are measured better (the 1 mm
  // union left 0.02 m² of overlaps between neighbouring cells on the street), but the demo partition loses grids
  // within ±5 % (48 → 46 of 57 at 200), below the bar of tests/integration/partition.int.test.ts
  const voronoiUnion = region === null ? sql`ST_Union(o.v, ${P}::float8)` : sql`ST_Union(o.v)`;
  await db.execute(sql`
    CREATE TEMP TABLE ptess_raw ON COMMIT DROP AS
    SELECT o.block, o.id, ST_CollectionExtract(ST_Intersection(${voronoiUnion}, k.g, ${P}::float8), 3) AS g
    FROM ptess_owner o JOIN ptess_blocks k ON k.id = o.block
    GROUP BY o.block, o.id, k.g`);
  step("raw cells");

  // footprints stay with their building: cell = (voronoi − all footprints of the block) ∪ own footprint; only the
  // other footprints meeting the Voronoi cell can cut it, so only their union is subtracted — (raw − others) ∪ own
  // is the same set — not the union of all the block's footprints once per building (2.5 → 0.8 s on the synthetic
  // street; most cells meet no other footprint and skip the difference). A plain collection of them is faster still
  // but GEOS refuses it where two footprints share an edge (an invalid multipolygon)
  await db.execute(sql`
    CREATE TEMP TABLE ptess_cells ON COMMIT DROP AS
    WITH built AS (
      SELECT r.block, r.id AS building,
             ST_CollectionExtract(ST_Union(coalesce(ST_Difference(r.g, (
               SELECT ST_Union(o.g, ${P}::float8) FROM ptess_fp o
               WHERE o.block = r.block AND o.id <> r.id AND o.g && r.g AND ST_Intersects(o.g, r.g)), ${P}::float8), r.g),
               fp.g, ${P}::float8), 3) AS g,
             fp.g AS fp
      FROM ptess_raw r JOIN ptess_fp fp ON fp.id = r.id
    ), parts AS (
      SELECT block, building, fp, (ST_Dump(g)).geom AS g FROM built
      UNION ALL
      SELECT k.id, NULL, NULL, (ST_Dump(k.g)).geom FROM ptess_blocks k
      WHERE NOT EXISTS (SELECT 1 FROM ptess_fp fp WHERE fp.block = k.id)
        AND (${mine}::int[] IS NULL OR k.id = ANY(${mine}::int[]))
    ), tagged AS (
      SELECT p.block, CASE WHEN p.fp IS NOT NULL AND ST_Area(ST_Intersection(p.g, p.fp)) > 0.001 THEN p.building END AS building,
             p.g FROM parts p WHERE ST_Area(p.g) > 0
    )
    SELECT row_number() OVER (ORDER BY k.comm, t.block, t.building NULLS LAST, ST_X(ST_PointOnSurface(t.g)),
             ST_Y(ST_PointOnSurface(t.g)))::int AS id,
           k.comm, t.block, t.building, 0 AS households, t.g
    FROM tagged t JOIN ptess_blocks k ON k.id = t.block`);
  step("cells");
  // a building's households go to its largest part
  await db.execute(sql`
    UPDATE ptess_cells c SET households = b.households
    FROM (SELECT DISTINCT ON (c.building) c.id, f.households FROM ptess_cells c JOIN ptess_fp f ON f.id = c.building
          ORDER BY c.building, ST_Area(c.g) DESC, c.id) b
    WHERE b.id = c.id`);
  if (split?.collect) {
    // the helper session's cells go to the main session now; it goes on with the adjacency inside its blocks
    split.collect(await cellRows(db));
  }
  if (split?.other) {
    // the other session's cells (the other blocks) join ours, numbered as one run numbers them: by block, then in
    // each session's order within the block (both order cells of a block alike); src/local map the helper's ids
    const other = await split.other;
    await db.execute(sql`
      CREATE TEMP TABLE ptess_cells_all ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY x.block, x.id)::int AS id, x.comm, x.block, x.building, x.households, x.g,
             x.src, x.id AS local FROM (
        SELECT id, comm, block, building, households, g, 0 AS src FROM ptess_cells
        UNION ALL
        SELECT c.id, c.comm, c.block, NULLIF(c.building, 0), c.households, ST_SetSRID(c.g::geometry, ${srid}::int), 1
        FROM unnest(${pgArray(other.map((c) => Number(c.id)))}::int[], ${pgArray(other.map((c) => Number(c.comm)))}::int[],
                    ${pgArray(other.map((c) => Number(c.block)))}::int[],
                    ${pgArray(other.map((c) => (c.building === null ? 0 : Number(c.building))))}::int[],
                    ${pgArray(other.map((c) => Number(c.households)))}::int[], ${pgArray(other.map((c) => c.g))}::text[])
             AS c(id, comm, block, building, households, g)) x`);
    await db.execute(sql`DROP TABLE ptess_cells`);
    await db.execute(sql`ALTER TABLE ptess_cells_all RENAME TO ptess_cells`);
    step("merge");
  }
  await db.execute(sql`CREATE INDEX ON ptess_cells USING gist (g)`);
  await db.execute(sql`ANALYZE ptess_cells`);
  await db.execute(sql`
    CREATE TEMP TABLE ptess_roadbuf ON COMMIT DROP AS
    SELECT comm, ST_Subdivide(ST_Buffer(ST_Union(g), ${ROAD_BUFFER_M}::float8, 2), 64) AS g
    FROM ptess_roads WHERE NOT ST_IsEmpty(g) GROUP BY comm`);
  await db.execute(sql`CREATE INDEX ON ptess_roadbuf USING gist (g)`);
  // shared length only (nothing stored): a region run measures it on a floating-precision union
  const pairUnion = region === null ? sql`ST_Union(a.g, b.g, ${P}::float8)` : sql`ST_Union(a.g, b.g)`;
  // a split run: the helper measures the pairs inside its blocks (each pair is measured on its own, so where does not
  // matter), the main session all others
  const pairScope = split?.collect
    ? sql`AND a.block = b.block`
    : split?.other
      ? sql`AND NOT (a.block = b.block AND a.src = 1)`
      : sql``;
  await db.execute(sql`
    CREATE TEMP TABLE ptess_adj ON COMMIT DROP AS
    WITH pairs AS MATERIALIZED (
      SELECT a.comm, a.id AS a, b.id AS b, a.block <> b.block AS across, a.g AS ag, b.g AS bg,
             (ST_Perimeter(a.g) + ST_Perimeter(b.g) - ST_Perimeter(${pairUnion})) / 2 AS len
      FROM ptess_cells a JOIN ptess_cells b ON b.comm = a.comm AND a.id < b.id AND a.g && b.g AND ST_DWithin(a.g, b.g, 0.005)
        ${pairScope}
    ), kept AS MATERIALIZED (
      -- materialized: inlined, the planner evaluated the union and the shared edge twice per pair
      SELECT p.comm, p.a, p.b, p.across, p.len,
             CASE WHEN NOT p.across
                  THEN ST_CollectionExtract(ST_Intersection(ST_Boundary(p.ag), ST_Buffer(p.bg, 0.01, 1)), 2) END AS shared
      FROM pairs p WHERE p.len > 0.01
    )
    SELECT k.comm, k.a, k.b, k.len AS length_m,
           CASE WHEN k.across THEN k.len
                ELSE (SELECT coalesce(sum(ST_Length(ST_Intersection(k.shared, r.g))), 0) FROM ptess_roadbuf r
                      WHERE r.comm = k.comm AND r.g && k.shared) END AS road_m
    FROM kept k`);
  if (split?.collect) {
    split.collectEdges?.(
      await rows<EdgeRow>(db, sql`SELECT comm, a, b, length_m, road_m FROM ptess_adj ORDER BY a, b`),
    );
    return { srid, communities: [], durationMs: performance.now() - started };
  }
  if (split?.edges) {
    const edges = await split.edges;
    await db.execute(sql`
      INSERT INTO ptess_adj (comm, a, b, length_m, road_m)
      SELECT e.comm, ca.id, cb.id, e.length_m, e.road_m
      FROM unnest(${pgArray(edges.map((e) => Number(e.comm)))}::int[], ${pgArray(edges.map((e) => Number(e.a)))}::int[],
                  ${pgArray(edges.map((e) => Number(e.b)))}::int[], ${pgArray(edges.map((e) => String(e.length_m)))}::float8[],
                  ${pgArray(edges.map((e) => String(e.road_m)))}::float8[]) AS e(comm, a, b, length_m, road_m)
      JOIN ptess_cells ca ON ca.src = 1 AND ca.local = e.a
      JOIN ptess_cells cb ON cb.src = 1 AND cb.local = e.b`);
  }
  step("adjacency");

  const comms = await rows<{ id: number; code: string; name: string; estate_kind: string | null }>(
    db,
    sql`SELECT id, code, name, estate_kind FROM ptess_comm ORDER BY code`,
  );
  const cells = await rows<{
    id: number;
    comm: number;
    block: number;
    building: number | null;
    households: number;
    area: number;
    perim: number;
    x: number;
    y: number;
  }>(
    db,
    sql`SELECT id, comm, block, building, households, ST_Area(g) AS area, ST_Perimeter(g) AS perim,
               ST_X(ST_PointOnSurface(g)) AS x, ST_Y(ST_PointOnSurface(g)) AS y FROM ptess_cells ORDER BY id`,
  );
  const adj = await rows<{ comm: number; a: number; b: number; length_m: number; road_m: number }>(
    db,
    sql`SELECT comm, a, b, length_m, road_m FROM ptess_adj ORDER BY a, b`,
  );
  const blocks = await rows<{ comm: number; n: number }>(
    db,
    sql`SELECT comm, count(*)::int AS n FROM ptess_blocks GROUP BY comm`,
  );
  const together = await rows<{ comm: number; a: number; b: number }>(
    db,
    sql`SELECT x.comm, x.id AS a, y.id AS b FROM ptess_overlap o
        JOIN LATERAL (SELECT id, comm FROM ptess_cells WHERE building = o.a ORDER BY id LIMIT 1) x ON true
        JOIN LATERAL (SELECT id FROM ptess_cells WHERE building = o.b ORDER BY id LIMIT 1) y ON true
        ORDER BY x.id, y.id`,
  );
  const communities: CommunityTessellation[] = comms.map((c) => {
    const nodes: CellNode[] = cells
      .filter((cell) => cell.comm === c.id)
      .map((cell) => ({
        id: cell.id,
        households: Number(cell.households),
        areaM2: Number(cell.area),
        perimeterM: Number(cell.perim),
        x: Number(cell.x),
        y: Number(cell.y),
        blockId: cell.block,
        buildingId: cell.building,
      }));
    const edges: CellEdge[] = adj
      .filter((e) => e.comm === c.id)
      .map((e) => ({ a: e.a, b: e.b, lengthM: Number(e.length_m), roadLengthM: Number(e.road_m) }));
    return {
      communityId: c.id,
      code: c.code,
      name: c.name,
      estateKind: (c.estate_kind as CommunityTessellation["estateKind"]) ?? null,
      households: nodes.reduce((s, n) => s + n.households, 0),
      blocks: blocks.find((b) => b.comm === c.id)?.n ?? 0,
      graph: {
        nodes,
        edges,
        together: together.filter((t) => t.comm === c.id).map((t): [number, number] => [t.a, t.b]),
      },
    };
  });
  return { srid, communities, durationMs: performance.now() - started };
}
