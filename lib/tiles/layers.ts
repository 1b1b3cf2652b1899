/**
 * Allowlist of vector tile layers (docs/contracts.md). The URL segment only selects a key here; every SQL text is a
 * constant and z/x/y plus zoom-dependent thresholds are bound as $1…$n.
 */

export type Role = "admin" | "planner" | "commander" | "worker";

export const EXTENT = 4096;
/** Tile width in EPSG:3857 metres at z0. */
const WORLD_METRES = 40075016.685578488;

export type TileQuery = { text: string; values: unknown[] };

export type LayerDefinition = {
  name: string;
  sourceLayers: readonly string[];
  minzoom: number;
  maxzoom: number;
  /** null = public; otherwise the roles allowed to read (an empty list is never used). */
  roles: readonly Role[] | null;
  /** Largest ST_AsMVTGeom buffer of the layer in tile units, for invalidation. */
  buffer: number;
  /** Tables whose changes (NOTIFY tile_invalidate) invalidate this layer's tiles. */
  invalidatedBy: readonly string[];
  /**
   * For aggregate properties: per changed table, a query ($1..$4 = bbox) returning the extent [xmin, ymin, xmax, ymax]
   * of every feature whose totals the change may alter, so tiles far from the edit but showing the total are evicted.
   */
  invalidationExtent?: Readonly<Record<string, string>>;
  /**
   * Optional per-layer inputs computed once and reused until a change to one of `invalidatedBy` (extra bound values
   * appended after the layer's own); the tile service caches them, callers running the SQL directly pass them too.
   */
  prepare?: (pool: Queryable) => Promise<unknown[]>;
  /** Only tiles up to this zoom use the prepared inputs (default: all). */
  preparedMaxZoom?: number;
  query: (z: number, x: number, y: number, prepared?: readonly unknown[]) => TileQuery;
};

export type Queryable = {
  query: <R extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<{ rows: R[] }>;
};

/** Metres per 1/256 of a tile (one "pixel" of a 256 px tile) at zoom z. */
export function pixelMetres(z: number): number {
  return WORLD_METRES / 2 ** z / 256;
}

/** Simplification tolerance in EPSG:3857 metres: about half a pixel below z14, a fraction of a tile unit above. */
export function simplifyTolerance(z: number): number {
  return z < 14 ? pixelMetres(z) / 2 : WORLD_METRES / 2 ** z / EXTENT / 2;
}

/** Polygons smaller than ~2 px² are dropped below z14. Areas are true m²; web mercator inflates them, so stay low. */
export function minAreaM2(z: number): number {
  return z < 14 ? 2 * pixelMetres(z) ** 2 * 0.7 : 0;
}

/** Highest road rank shown (1 motorway … 9 path). */
export function maxRoadRank(z: number): number {
  if (z <= 10) return 2;
  if (z === 11) return 3;
  if (z === 12) return 4;
  if (z === 13) return 5;
  if (z === 14) return 7;
  return 9;
}

/** Highest label rank shown. */
export function maxLabelRank(z: number): number {
  if (z <= 11) return 2;
  if (z <= 13) return 4;
  if (z <= 15) return 7;
  return 100;
}

// $1..$3 = z, x, y. env is the tile in 3857 (env_buffered with the 64-unit buffer); bounds* are the buffered tile in
// 4326 so the GiST index on geom is used. geom_3857 columns (stored, generated) spare a per-feature ST_Transform.
const TILE_CTE = `b AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
         ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${64 / EXTENT}) AS env_buffered,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${64 / EXTENT}), 4326) AS bounds,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${256 / EXTENT}), 4326) AS bounds_points
)`;

const ACTIVE_GRIDS = `SELECT g.* FROM grids g JOIN plans p ON p.id = g.plan_id WHERE p.status = 'active' AND g.valid_to IS NULL`;

// $4 tolerance, $5 min area m², $6 max road rank, $7 max label rank
const BASEMAP_SQL = `WITH ${TILE_CTE}
SELECT
  -- water, parks, landuse: clipped first (large polygons), simplified, tiny ones dropped at low zoom
  coalesce((SELECT ST_AsMVT(t, 'areas', ${EXTENT}, 'geom', 'id') FROM (
    SELECT a.id, a.kind, a.name,
      ST_AsMVTGeom(ST_Simplify(ST_ClipByBox2D(a.geom_3857, b.env_buffered), $4::float8, true),
        b.env, ${EXTENT}, 64, true) AS geom
    FROM basemap_areas a, b
    WHERE a.geom && b.bounds AND a.area_m2 >= $5::float8
    OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)
  -- roads: only the main ranks at low zoom
  || coalesce((SELECT ST_AsMVT(t, 'roads', ${EXTENT}, 'geom', 'id') FROM (
    SELECT r.id, r.kind, r.rank, r.name, r.bridge, r.tunnel,
      ST_AsMVTGeom(ST_Simplify(r.geom_3857, $4::float8), b.env, ${EXTENT}, 64, true) AS geom
    FROM basemap_roads r, b
    WHERE r.geom && b.bounds AND r.rank <= $6::int
    OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)
  -- labels: by rank
  || coalesce((SELECT ST_AsMVT(t, 'labels', ${EXTENT}, 'geom', 'id') FROM (
    SELECT l.id, l.kind, l.name, l.name_en, l.rank,
      ST_AsMVTGeom(ST_Transform(l.geom, 3857), b.env, ${EXTENT}, 256, true) AS geom
    FROM basemap_labels l, b
    WHERE l.geom && b.bounds_points AND l.rank <= $7::int
    OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;

function adminLevelSql(level: "district" | "street" | "community", sourceLayer: string): string {
  return `coalesce((SELECT ST_AsMVT(t, '${sourceLayer}', ${EXTENT}, 'geom', 'id') FROM (
    SELECT a.id, a.code, a.name, a.level::text AS level, a.source::text AS source,
      coalesce(s.households, 0)::int AS households, coalesce(s.grid_count, 0)::int AS grid_count,
      ST_AsMVTGeom(ST_Simplify(ST_Transform(ST_ClipByBox2D(a.geom, b.bounds), 3857), $4::float8, true),
        b.env, ${EXTENT}, 64, true) AS geom
    FROM a LEFT JOIN totals s ON s.area_id = a.id, b
    WHERE a.level = '${level}'
    OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;
}

/**
 * Households (sum of buildings) and active-plan grid count per community. Summing every building of a district
 * for each admin tile would dominate its cost, so the tile service runs this once per relevant change.
 */
const ADMIN_TOTALS_SQL = `SELECT coalesce(array_agg(id), '{}') AS ids, coalesce(array_agg(households), '{}') AS households,
    coalesce(array_agg(grid_count), '{}') AS grid_counts
  FROM (
    SELECT c.id, coalesce(h.households, 0)::bigint AS households, coalesce(g.grid_count, 0)::int AS grid_count
    FROM admin_areas c
    LEFT JOIN (SELECT community_id, sum(households) AS households FROM buildings GROUP BY community_id) h
      ON h.community_id = c.id
    LEFT JOIN (SELECT community_id, count(*) AS grid_count FROM (${ACTIVE_GRIDS}) ag GROUP BY community_id) g
      ON g.community_id = c.id
    WHERE c.level = 'community'
  ) s`;

// $4 tolerance, $5..$7 community totals
const ADMIN_SQL = `WITH ${TILE_CTE},
-- the districts, streets and communities in the tile
a AS (
  SELECT x.id, x.code, x.name, x.level, x.source, x.geom FROM admin_areas x, b
  WHERE x.level IN ('district', 'street', 'community') AND x.geom && b.bounds
),
-- every community below (or equal to) each of them
m AS (
  SELECT a.id AS area_id, a.id AS community_id FROM a WHERE a.level = 'community'
  UNION ALL
  SELECT a.id, c.id FROM a JOIN admin_areas c ON c.parent_id = a.id AND c.level = 'community' WHERE a.level = 'street'
  UNION ALL
  SELECT a.id, c.id FROM a
    JOIN admin_areas s ON s.parent_id = a.id
    JOIN admin_areas c ON c.parent_id = s.id AND c.level = 'community'
  WHERE a.level = 'district'
),
-- per-community totals, prepared once per change (see ADMIN_TOTALS_SQL): $5 ids, $6 households, $7 grid counts
c AS (SELECT * FROM unnest($5::int[], $6::bigint[], $7::int[]) AS u(community_id, households, grid_count)),
totals AS (
  SELECT m.area_id, sum(c.households) AS households, sum(c.grid_count) AS grid_count
  FROM m JOIN c ON c.community_id = m.community_id
  GROUP BY m.area_id
)
SELECT ${adminLevelSql("district", "districts")}
  || ${adminLevelSql("street", "streets")}
  || ${adminLevelSql("community", "communities")}`;

function gridsSql(totals: string): string {
  return `WITH ${TILE_CTE},
-- grids of the active plan in the tile
g AS (SELECT ag.* FROM (${ACTIVE_GRIDS}) ag, b WHERE ag.geom && b.bounds),
-- households and building count per grid
s AS (${totals})
SELECT coalesce((SELECT ST_AsMVT(t, 'grids', ${EXTENT}, 'geom', 'id') FROM (
  SELECT g.id, g.code, g.name, g.community_id, g.estate_kind::text AS estate_kind, g.household_target,
    coalesce(s.households, 0)::int AS households,
    round(100.0 * (coalesce(s.households, 0) - g.household_target) / g.household_target, 1)::float8 AS deviation_pct,
    coalesce(s.building_count, 0)::int AS building_count,
    ST_AsMVTGeom(ST_Simplify(g.geom_3857, $4::float8, true), b.env, ${EXTENT}, 64, true) AS geom
  FROM g LEFT JOIN s ON s.grid_id = g.id, b
  OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;
}

/** z14+: few grids per tile, so their totals are summed from the buildings directly. $4 tolerance. */
const GRIDS_SQL = gridsSql(`SELECT grid_id, sum(households) AS households, count(*) AS building_count FROM buildings
  WHERE grid_id IN (SELECT id FROM g) GROUP BY grid_id`);
/**
 * z12–13: thousands of grids per tile; their totals come from grid_totals (kept by triggers on buildings), a primary
 * key lookup per grid instead of summing buildings or binding every grid's totals as arrays.
 */
const GRIDS_LOW_ZOOM_SQL = gridsSql(
  "SELECT grid_id, households, building_count FROM grid_totals WHERE grid_id IN (SELECT id FROM g)",
);
const GRIDS_LOW_ZOOM_MAX = 13;

// $4 min area m²
const BUILDINGS_SQL = `WITH ${TILE_CTE}
SELECT coalesce((SELECT ST_AsMVT(t, 'buildings', ${EXTENT}, 'geom', 'id') FROM (
  SELECT x.id, x.name, x.building_type, x.levels, x.levels_source::text AS levels_source, x.residential, x.households,
    x.households_source::text AS households_source, x.grid_id,
    ST_AsMVTGeom(ST_Transform(x.geom, 3857), b.env, ${EXTENT}, 64, true) AS geom
  FROM buildings x, b
  WHERE x.geom && b.bounds AND x.area_m2 >= $4::float8
  OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;

const STATIONS_SQL = `WITH ${TILE_CTE}
SELECT coalesce((SELECT ST_AsMVT(t, 'stations', ${EXTENT}, 'geom', 'id') FROM (
  SELECT s.id, s.name, s.kind::text AS kind, s.status::text AS status, s.is_demo,
    ST_AsMVTGeom(ST_Transform(s.location, 3857), b.env, ${EXTENT}, 256, true) AS geom
  FROM service_stations s, b
  WHERE s.location && b.bounds_points
  OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;

const CASES_SQL = `WITH ${TILE_CTE}
SELECT coalesce((SELECT ST_AsMVT(t, 'cases', ${EXTENT}, 'geom', 'id') FROM (
  SELECT c.id, c.status::text AS status, c.category_code, c.grid_id,
    ST_AsMVTGeom(ST_Transform(c.location, 3857), b.env, ${EXTENT}, 256, true) AS geom
  FROM cases c, b
  WHERE c.location && b.bounds_points
  OFFSET 0 -- a fence: keeps the planner from evaluating ST_AsMVTGeom twice (filter + output)
  ) t WHERE t.geom IS NOT NULL), ''::bytea)`;

const ENVELOPE = "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)";
const extentOf = (from: string) =>
  `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
   FROM (SELECT ST_Extent(geom) AS e FROM (${from}) f WHERE geom && ${ENVELOPE}) s`;
const ADMIN_EXTENT = extentOf("SELECT geom FROM admin_areas WHERE level IN ('district', 'street', 'community')");
const GRIDS_EXTENT = extentOf(ACTIVE_GRIDS);

export const LAYERS = {
  basemap: {
    name: "basemap",
    sourceLayers: ["areas", "roads", "labels"],
    minzoom: 10,
    maxzoom: 18,
    roles: null,
    buffer: 256,
    invalidatedBy: ["basemap_areas", "basemap_roads", "basemap_labels"],
    query: (z, x, y) => ({
      text: BASEMAP_SQL,
      values: [z, x, y, simplifyTolerance(z), minAreaM2(z), maxRoadRank(z), maxLabelRank(z)],
    }),
  },
  admin: {
    name: "admin",
    sourceLayers: ["districts", "streets", "communities"],
    minzoom: 10,
    maxzoom: 18,
    roles: null,
    buffer: 64,
    invalidatedBy: ["admin_areas", "buildings", "grids"],
    invalidationExtent: { admin_areas: ADMIN_EXTENT, buildings: ADMIN_EXTENT, grids: ADMIN_EXTENT },
    prepare: async (pool) => {
      const { rows } = await pool.query<{ ids: number[]; households: string[]; grid_counts: number[] }>(
        ADMIN_TOTALS_SQL,
      );
      const row = rows[0];
      return [row?.ids ?? [], row?.households ?? [], row?.grid_counts ?? []];
    },
    query: (z, x, y, prepared = [[], [], []]) => ({
      text: ADMIN_SQL,
      values: [z, x, y, simplifyTolerance(z), ...prepared],
    }),
  },
  grids: {
    name: "grids",
    sourceLayers: ["grids"],
    // at z12 a 200-household grid is 3–6 px wide: below z13 the admin layer's community totals carry the map
    minzoom: 13,
    maxzoom: 18,
    roles: ["admin", "planner", "commander", "worker"],
    buffer: 64,
    invalidatedBy: ["grids", "buildings"],
    invalidationExtent: { buildings: GRIDS_EXTENT },
    query: (z, x, y) =>
      z <= GRIDS_LOW_ZOOM_MAX
        ? { text: GRIDS_LOW_ZOOM_SQL, values: [z, x, y, simplifyTolerance(z)] }
        : { text: GRIDS_SQL, values: [z, x, y, simplifyTolerance(z)] },
  },
  buildings: {
    name: "buildings",
    sourceLayers: ["buildings"],
    minzoom: 14,
    maxzoom: 18,
    roles: ["admin", "planner", "commander", "worker"],
    buffer: 64,
    invalidatedBy: ["buildings"],
    query: (z, x, y) => ({ text: BUILDINGS_SQL, values: [z, x, y, minAreaM2(z)] }),
  },
  stations: {
    name: "stations",
    sourceLayers: ["stations"],
    minzoom: 10,
    maxzoom: 18,
    roles: null,
    buffer: 256,
    invalidatedBy: ["service_stations"],
    query: (z, x, y) => ({ text: STATIONS_SQL, values: [z, x, y] }),
  },
  cases: {
    name: "cases",
    sourceLayers: ["cases"],
    minzoom: 10,
    maxzoom: 18,
    roles: ["admin", "commander", "worker"],
    buffer: 256,
    invalidatedBy: ["cases"],
    query: (z, x, y) => ({ text: CASES_SQL, values: [z, x, y] }),
  },
} as const satisfies Record<string, LayerDefinition>;

export type LayerName = keyof typeof LAYERS;
export const LAYER_NAMES = Object.keys(LAYERS) as LayerName[];

export function getLayer(name: string): LayerDefinition | undefined {
  return Object.hasOwn(LAYERS, name) ? LAYERS[name as LayerName] : undefined;
}

/** Layers whose tiles a change to `table` invalidates. */
export function layersInvalidatedBy(table: string): LayerDefinition[] {
  return Object.values(LAYERS).filter((layer: LayerDefinition) => layer.invalidatedBy.includes(table));
}
