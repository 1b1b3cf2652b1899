import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
import type { Pool, PoolClient } from "pg";
import { type DerivationCounts, deriveDemoAdministration } from "./derive";
import {
  AREA_PER_HOUSEHOLD_M2,
  DEFAULT_LEVELS,
  FALLBACK_LEVELS,
  FOOT_ALLOWED,
  FOOT_ONLY_HIGHWAYS,
  METRES_PER_LEVEL,
  NON_RESIDENTIAL_BUILDING_KEYS,
  NON_RESIDENTIAL_POI_AMENITIES,
  NON_RESIDENTIAL_POI_TOURISM,
  RESIDENTIAL_BUILDING_TYPES,
  ROAD_RANK,
  USABLE_FLOOR_RATIO,
  WALKABLE_HIGHWAYS,
} from "./osm-rules";
import { OSM_STAGE_SCHEMA, OsmImportError, runOsm2pgsql } from "./osm2pgsql";

export { OsmImportError } from "./osm2pgsql";

export const IMPORT_ACTOR = "system:import";
const LOCK_KEY = "wangge:import";

export type OsmImportCounts = {
  buildings: number;
  residentialBuildings: number;
  householdsEstimated: number;
  roads: number;
  areas: number;
  labels: number;
  walkNodes: number;
  walkEdges: number;
  osmStations: number;
} & DerivationCounts;

export interface OsmImportResult {
  status: "imported" | "unchanged";
  sha256: string;
  counts: OsmImportCounts;
  changes: Record<string, number>;
  durationMs: number;
}

export interface OsmImportOptions {
  /** Connection string handed to osm2pgsql (it writes the staging schema itself). */
  databaseUrl: string;
  /** Import even when the same file was already imported and the counts match. */
  force?: boolean;
  log?: (message: string) => void;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Import an OSM XML/PBF file: osm2pgsql loads the staging schema, then one transaction upserts buildings,
 * basemap, walk network and OSM service stations, re-derives the demo administration and records the run.
 */
export async function importOsmFile(pool: Pool, file: string, options: OsmImportOptions): Promise<OsmImportResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const absolute = path.resolve(file);
  try {
    await access(absolute);
  } catch {
    throw new OsmImportError(`OSM file not found: ${absolute}`);
  }
  const { size } = await stat(absolute);
  if (size === 0) throw new OsmImportError(`OSM file is empty: ${absolute}`);
  const sha256 = await sha256File(absolute);

  const client = await pool.connect();
  try {
    // One import at a time per database: the staging schema is shared.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [LOCK_KEY]);
    try {
      if (!options.force) {
        const previous = await client.query<{ counts: OsmImportCounts }>(
          "SELECT counts FROM import_runs WHERE kind = 'osm' AND sha256 = $1 ORDER BY id DESC LIMIT 1",
          [sha256],
        );
        const last = previous.rows[0];
        if (last) {
          const current = await countDomain(client);
          if (sameCounts(last.counts, current)) {
            return { status: "unchanged", sha256, counts: current, changes: {}, durationMs: Date.now() - started };
          }
        }
      }

      await client.query(`CREATE SCHEMA IF NOT EXISTS ${OSM_STAGE_SCHEMA}`);
      log(`osm2pgsql → ${OSM_STAGE_SCHEMA}`);
      await runOsm2pgsql(options.databaseUrl, absolute);
      const staged = await client.query<{ areas: number; lines: number; points: number }>(
        `SELECT (SELECT count(*) FROM ${OSM_STAGE_SCHEMA}.areas)::int AS areas,
                (SELECT count(*) FROM ${OSM_STAGE_SCHEMA}.lines)::int AS lines,
                (SELECT count(*) FROM ${OSM_STAGE_SCHEMA}.points)::int AS points`,
      );
      const stagedCounts = staged.rows[0];
      if (!stagedCounts || stagedCounts.areas + stagedCounts.lines + stagedCounts.points === 0) {
        throw new OsmImportError(
          `${path.basename(absolute)} contains no usable OSM features (no buildings, roads or POIs): is it a complete OSM XML/PBF extract?`,
        );
      }
      log(`staged ${stagedCounts.areas} areas, ${stagedCounts.lines} lines, ${stagedCounts.points} points`);

      await client.query("BEGIN");
      try {
        const changes = await transformStage(client);
        log("derive demo administration and initial grids");
        const derived = await deriveDemoAdministration(client);
        Object.assign(changes, derived.changes);
        const counts = await countDomain(client);
        await client.query("INSERT INTO import_runs (kind, file_name, sha256, counts) VALUES ('osm', $1, $2, $3)", [
          path.basename(absolute),
          sha256,
          JSON.stringify(counts),
        ]);
        await client.query(
          "INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES ($1, 'import.osm', 'import_runs', $2, $3)",
          [
            IMPORT_ACTOR,
            sha256,
            JSON.stringify({ file: path.basename(absolute), sha256, counts, changes, notes: derived.notes }),
          ],
        );
        await client.query("COMMIT");
        return { status: "imported", sha256, counts, changes, durationMs: Date.now() - started };
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

function sameCounts(previous: Partial<OsmImportCounts>, current: OsmImportCounts): boolean {
  return Object.entries(current).every(([key, value]) => previous[key as keyof OsmImportCounts] === value);
}

/** Counts of everything an OSM import owns, used for the "unchanged" short-circuit and the import_runs row. */
export async function countDomain(client: PoolClient | Pool): Promise<OsmImportCounts> {
  const { rows } = await client.query<OsmImportCounts>(`
    SELECT
      (SELECT count(*) FROM buildings WHERE source_key LIKE 'osm:%')::int AS "buildings",
      (SELECT count(*) FROM buildings WHERE source_key LIKE 'osm:%' AND residential)::int AS "residentialBuildings",
      (SELECT coalesce(sum(households_estimated), 0) FROM buildings WHERE source_key LIKE 'osm:%')::int AS "householdsEstimated",
      (SELECT count(*) FROM basemap_roads WHERE source_key LIKE 'osm:%')::int AS "roads",
      (SELECT count(*) FROM basemap_areas WHERE source_key LIKE 'osm:%')::int AS "areas",
      (SELECT count(*) FROM basemap_labels WHERE source_key LIKE 'osm:%')::int AS "labels",
      (SELECT count(*) FROM walk_nodes)::int AS "walkNodes",
      (SELECT count(*) FROM walk_edges)::int AS "walkEdges",
      (SELECT count(*) FROM service_stations WHERE source_key LIKE 'osm:%')::int AS "osmStations",
      (SELECT count(*) FROM admin_areas WHERE source = 'derived' AND level = 'district')::int AS "districts",
      (SELECT count(*) FROM admin_areas WHERE source = 'derived' AND level = 'street')::int AS "streets",
      (SELECT count(*) FROM admin_areas WHERE source = 'derived' AND level = 'community')::int AS "communities",
      (SELECT count(*) FROM grids g JOIN plans p ON p.id = g.plan_id WHERE p.status = 'active')::int AS "grids",
      (SELECT count(*) FROM service_stations WHERE source_key LIKE 'demo:%')::int AS "demoStations"`);
  const row = rows[0];
  if (!row) throw new Error("count query returned no row");
  return row;
}

async function run(client: PoolClient, sql: string, params: unknown[] = []): Promise<number> {
  const result = await client.query(sql, params);
  return result.rowCount ?? 0;
}

/** Staging → domain tables. Upserts touch only rows whose content changed; rows no longer in the file go. */
async function transformStage(client: PoolClient): Promise<Record<string, number>> {
  const s = OSM_STAGE_SCHEMA;
  const changes: Record<string, number> = {};

  // Valid polygons once, reused by buildings, landuse and stations.
  await run(
    client,
    `CREATE TEMP TABLE stage_areas ON COMMIT DROP AS
     SELECT osm_type, osm_id, 'osm:' || lower(osm_type) || osm_id AS source_key, tags,
            ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) AS geom
     FROM ${s}.areas`,
  );
  await run(client, "DELETE FROM stage_areas WHERE ST_IsEmpty(geom)");
  await run(client, "CREATE INDEX ON stage_areas USING gist (geom)");
  await run(client, "ANALYZE stage_areas");

  // Buildings: levels tagged → height/3 → default by type; residential by type or building=yes in landuse=residential.
  await run(
    client,
    `CREATE TEMP TABLE stage_buildings ON COMMIT DROP AS
     WITH b AS (
       SELECT a.source_key, a.tags, a.geom, coalesce(nullif(a.tags->>'building', ''), 'yes') AS building_type,
              substring(a.tags->>'building:levels' FROM '[0-9]+(?:\\.[0-9]+)?')::float8 AS levels_tag,
              substring(a.tags->>'height' FROM '[0-9]+(?:\\.[0-9]+)?')::float8
                * CASE WHEN a.tags->>'height' ~ '(ft|'')' THEN 0.3048 ELSE 1 END AS height_m,
              ST_Area(a.geom::geography) AS area_m2
       FROM stage_areas a
       WHERE a.tags ? 'building' AND a.tags->>'building' <> 'no' AND NOT a.tags ? 'building:part'
     ), l AS (
       SELECT b.*,
              CASE WHEN b.levels_tag >= 0.5 THEN greatest(1, round(b.levels_tag::numeric))::int
                   WHEN b.height_m > 0 THEN greatest(1, round((b.height_m / $2)::numeric))::int
                   ELSE coalesce(($1::jsonb ->> b.building_type)::int, $3) END AS levels,
              CASE WHEN b.levels_tag >= 0.5 THEN 'tagged' WHEN b.height_m > 0 THEN 'height' ELSE 'default' END AS levels_source,
              (b.building_type = ANY($4::text[]) OR (b.building_type = 'yes' AND EXISTS (
                 SELECT 1 FROM stage_areas r
                 WHERE r.tags->>'landuse' = 'residential' AND ST_Intersects(r.geom, ST_PointOnSurface(b.geom)))
               -- …unless the building is itself a tagged institution/business or holds an institutional POI
               AND NOT b.tags ?| $7::text[]
               AND NOT EXISTS (
                 SELECT 1 FROM ${s}.points p
                 WHERE ST_Intersects(b.geom, p.geom)
                   AND (p.tags->>'amenity' = ANY($8::text[]) OR p.tags ? 'office' OR p.tags->>'tourism' = ANY($9::text[]))))) AS residential
       FROM b
     )
     SELECT source_key, nullif(tags->>'name', '') AS name,
            coalesce(nullif(tags->>'addr:full', ''), nullif(concat_ws('',
              tags->>'addr:city', tags->>'addr:district', tags->>'addr:street',
              CASE WHEN tags->>'addr:housenumber' ~ '^[0-9]+$' THEN (tags->>'addr:housenumber') || '号' ELSE tags->>'addr:housenumber' END), '')) AS address,
            building_type, levels, levels_source::levels_source, height_m, residential, area_m2,
            CASE WHEN residential THEN greatest(1, round((area_m2 * levels * $5 / $6)::numeric))::int ELSE 0 END AS households_estimated,
            geom
     FROM l`,
    [
      JSON.stringify(DEFAULT_LEVELS),
      METRES_PER_LEVEL,
      FALLBACK_LEVELS,
      RESIDENTIAL_BUILDING_TYPES,
      USABLE_FLOOR_RATIO,
      AREA_PER_HOUSEHOLD_M2,
      NON_RESIDENTIAL_BUILDING_KEYS,
      NON_RESIDENTIAL_POI_AMENITIES,
      NON_RESIDENTIAL_POI_TOURISM,
    ],
  );
  changes.buildingsUpserted = await run(
    client,
    `INSERT INTO buildings (source_key, name, address, building_type, levels, levels_source, height_m, residential,
                            area_m2, households_estimated, geom)
     SELECT source_key, name, address, building_type, levels, levels_source, height_m, residential, area_m2,
            households_estimated, geom FROM stage_buildings
     ON CONFLICT (source_key) DO UPDATE SET
       name = EXCLUDED.name, address = EXCLUDED.address, building_type = EXCLUDED.building_type,
       levels = EXCLUDED.levels, levels_source = EXCLUDED.levels_source, height_m = EXCLUDED.height_m,
       residential = EXCLUDED.residential, area_m2 = EXCLUDED.area_m2,
       households_estimated = EXCLUDED.households_estimated, geom = EXCLUDED.geom, updated_at = now()
     WHERE (buildings.name, buildings.address, buildings.building_type, buildings.levels, buildings.levels_source,
            buildings.height_m, buildings.residential, buildings.area_m2, buildings.households_estimated, buildings.geom)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.address, EXCLUDED.building_type, EXCLUDED.levels,
            EXCLUDED.levels_source, EXCLUDED.height_m, EXCLUDED.residential, EXCLUDED.area_m2,
            EXCLUDED.households_estimated, EXCLUDED.geom)`,
  );
  changes.buildingsDeleted = await run(
    client,
    `DELETE FROM buildings b WHERE b.source_key LIKE 'osm:%'
       AND NOT EXISTS (SELECT 1 FROM stage_buildings n WHERE n.source_key = b.source_key)`,
  );

  // Basemap roads and railways: rank from the class table; unknown classes (proposed, platform…) are skipped.
  await run(
    client,
    `CREATE TEMP TABLE stage_roads ON COMMIT DROP AS
     SELECT 'osm:w' || osm_id AS source_key, k.kind, ($1::jsonb ->> k.kind)::smallint AS rank,
            nullif(tags->>'name', '') AS name, nullif(tags->>'ref', '') AS ref,
            CASE WHEN tags->>'layer' ~ '^-?[0-9]{1,2}$' THEN greatest(-9, least(9, (tags->>'layer')::int))::smallint ELSE 0::smallint END AS layer,
            coalesce(tags->>'bridge', 'no') NOT IN ('no', 'false', '0') AS bridge,
            coalesce(tags->>'tunnel', 'no') NOT IN ('no', 'false', '0') AS tunnel,
            geom
     FROM ${s}.lines, LATERAL (SELECT coalesce(tags->>'highway', tags->>'railway') AS kind) k
     WHERE $1::jsonb ? k.kind`,
    [JSON.stringify(ROAD_RANK)],
  );
  changes.roadsUpserted = await run(
    client,
    `INSERT INTO basemap_roads (source_key, kind, rank, name, ref, layer, bridge, tunnel, geom)
     SELECT source_key, kind, rank, name, ref, layer, bridge, tunnel, geom FROM stage_roads
     ON CONFLICT (source_key) DO UPDATE SET kind = EXCLUDED.kind, rank = EXCLUDED.rank, name = EXCLUDED.name,
       ref = EXCLUDED.ref, layer = EXCLUDED.layer, bridge = EXCLUDED.bridge, tunnel = EXCLUDED.tunnel, geom = EXCLUDED.geom
     WHERE (basemap_roads.kind, basemap_roads.rank, basemap_roads.name, basemap_roads.ref, basemap_roads.layer,
            basemap_roads.bridge, basemap_roads.tunnel, basemap_roads.geom)
       IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.rank, EXCLUDED.name, EXCLUDED.ref, EXCLUDED.layer,
            EXCLUDED.bridge, EXCLUDED.tunnel, EXCLUDED.geom)`,
  );
  changes.roadsDeleted = await run(
    client,
    `DELETE FROM basemap_roads r WHERE r.source_key LIKE 'osm:%'
       AND NOT EXISTS (SELECT 1 FROM stage_roads n WHERE n.source_key = r.source_key)`,
  );

  // Basemap areas (buildings have their own layer and are left out).
  await run(
    client,
    `CREATE TEMP TABLE stage_basemap_areas ON COMMIT DROP AS
     SELECT * FROM (
       SELECT source_key, nullif(tags->>'name', '') AS name, ST_Area(geom::geography) AS area_m2, geom,
         CASE
           WHEN tags->>'natural' = 'water' OR tags ? 'water' OR tags->>'waterway' IN ('riverbank', 'dock')
             OR tags->>'landuse' IN ('reservoir', 'basin') OR tags->>'leisure' = 'swimming_pool' THEN 'water'
           WHEN tags->>'leisure' IN ('park', 'garden', 'playground', 'nature_reserve') THEN 'park'
           WHEN tags->>'leisure' IN ('pitch', 'stadium', 'sports_centre', 'track') THEN 'sports'
           WHEN tags->>'natural' IN ('wood', 'scrub', 'grassland', 'heath')
             OR tags->>'landuse' IN ('forest', 'grass', 'meadow', 'village_green', 'recreation_ground', 'cemetery', 'orchard') THEN 'green'
           WHEN tags->>'amenity' IN ('school', 'university', 'college', 'kindergarten') THEN 'education'
           WHEN tags->>'amenity' IN ('hospital', 'clinic') THEN 'hospital'
           WHEN tags->>'amenity' = 'parking' THEN 'parking'
           WHEN tags->>'landuse' IN ('commercial', 'retail') THEN 'commercial'
           WHEN tags ? 'landuse' THEN tags->>'landuse'
           WHEN tags ? 'natural' THEN tags->>'natural'
           WHEN tags ? 'amenity' THEN tags->>'amenity'
           WHEN tags ? 'leisure' THEN tags->>'leisure'
         END AS kind
       FROM stage_areas
       WHERE NOT tags ? 'building' AND NOT tags ? 'building:part' AND NOT tags ? 'place'
     ) t WHERE kind IS NOT NULL`,
  );
  changes.areasUpserted = await run(
    client,
    `INSERT INTO basemap_areas (source_key, kind, name, area_m2, geom)
     SELECT source_key, kind, name, area_m2, geom FROM stage_basemap_areas
     ON CONFLICT (source_key) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, area_m2 = EXCLUDED.area_m2,
       geom = EXCLUDED.geom
     WHERE (basemap_areas.kind, basemap_areas.name, basemap_areas.area_m2, basemap_areas.geom)
       IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.area_m2, EXCLUDED.geom)`,
  );
  changes.areasDeleted = await run(
    client,
    `DELETE FROM basemap_areas a WHERE a.source_key LIKE 'osm:%'
       AND NOT EXISTS (SELECT 1 FROM stage_basemap_areas n WHERE n.source_key = a.source_key)`,
  );

  // Labels: named places, stations and POIs (nodes, plus point-on-surface of named POI areas).
  await run(
    client,
    `CREATE TEMP TABLE stage_labels ON COMMIT DROP AS
     WITH src AS (
       SELECT 'osm:n' || osm_id AS source_key, tags, geom FROM ${s}.points
       UNION ALL
       SELECT source_key, tags, ST_PointOnSurface(geom) FROM stage_areas
       WHERE tags ? 'amenity' OR tags ? 'tourism' OR tags ? 'leisure' OR tags ? 'place' OR tags ? 'historic'
          OR tags->>'railway' = 'station' OR tags->>'public_transport' = 'station' OR tags->>'landuse' = 'residential'
     ), k AS (
       SELECT source_key, tags, geom, nullif(tags->>'name', '') AS name,
         CASE
           WHEN tags ? 'place' THEN tags->>'place'
           WHEN tags->>'railway' IN ('station', 'halt') OR tags->>'public_transport' = 'station' THEN 'station'
           WHEN tags->>'railway' = 'subway_entrance' THEN 'subway_entrance'
           WHEN tags ? 'amenity' THEN tags->>'amenity'
           WHEN tags ? 'tourism' THEN tags->>'tourism'
           WHEN tags ? 'historic' THEN 'historic'
           WHEN tags ? 'leisure' THEN tags->>'leisure'
           WHEN tags ? 'shop' THEN 'shop'
           WHEN tags ? 'office' THEN 'office'
           WHEN tags->>'landuse' = 'residential' THEN 'residential'
           ELSE 'poi'
         END AS kind
       FROM src
     )
     SELECT source_key, kind, name, nullif(tags->>'name:en', '') AS name_en,
       (CASE
         WHEN kind IN ('city', 'province', 'state') THEN 1
         WHEN kind IN ('district', 'town', 'borough', 'suburb') THEN 2
         WHEN kind IN ('quarter', 'neighbourhood', 'station') THEN 3
         WHEN kind IN ('townhall', 'hospital', 'university', 'college', 'park') THEN 4
         WHEN kind IN ('school', 'residential', 'museum', 'attraction', 'historic', 'theatre', 'cinema', 'library') THEN 5
         WHEN kind IN ('subway_entrance', 'police', 'hotel', 'bank', 'clinic', 'pharmacy') THEN 6
         WHEN kind IN ('restaurant', 'cafe', 'fast_food', 'shop', 'bar', 'pub') THEN 7
         ELSE 8
       END)::smallint AS rank, geom
     FROM k WHERE name IS NOT NULL`,
  );
  changes.labelsUpserted = await run(
    client,
    `INSERT INTO basemap_labels (source_key, kind, name, name_en, rank, geom)
     SELECT source_key, kind, name, name_en, rank, geom FROM stage_labels
     ON CONFLICT (source_key) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
       rank = EXCLUDED.rank, geom = EXCLUDED.geom
     WHERE (basemap_labels.kind, basemap_labels.name, basemap_labels.name_en, basemap_labels.rank, basemap_labels.geom)
       IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.name_en, EXCLUDED.rank, EXCLUDED.geom)`,
  );
  changes.labelsDeleted = await run(
    client,
    `DELETE FROM basemap_labels l WHERE l.source_key LIKE 'osm:%'
       AND NOT EXISTS (SELECT 1 FROM stage_labels n WHERE n.source_key = l.source_key)`,
  );

  // Walk network: one edge per pair of consecutive OSM nodes; ways whose point count differs from their node list are skipped.
  await run(
    client,
    `CREATE TEMP TABLE stage_walk_edges ON COMMIT DROP AS
     WITH w AS (
       SELECT osm_id, tags->>'highway' AS highway, nullif(tags->>'name', '') AS name, nodes, geom
       FROM ${s}.lines
       WHERE tags ? 'highway' AND array_length(nodes, 1) = ST_NPoints(geom)
         AND (
           (tags->>'highway' = ANY($1::text[]) AND coalesce(tags->>'foot', '') <> 'no'
             AND (coalesce(tags->>'access', '') NOT IN ('private', 'no') OR tags->>'foot' = ANY($3::text[])))
           OR (tags->>'highway' = ANY($2::text[]) AND tags->>'foot' = ANY($3::text[]))
         )
     ), p AS (
       SELECT w.osm_id, w.highway, w.name, d.path[1] AS i, w.nodes[d.path[1]] AS node_id, d.geom AS point,
              lead(w.nodes[d.path[1]]) OVER (PARTITION BY w.osm_id ORDER BY d.path[1]) AS next_node_id,
              lead(d.geom) OVER (PARTITION BY w.osm_id ORDER BY d.path[1]) AS next_point
       FROM w, LATERAL ST_DumpPoints(w.geom) d
     )
     SELECT osm_id AS osm_way_id, i AS seq, node_id AS source, next_node_id AS target, highway, name,
            ST_Length(ST_MakeLine(point, next_point)::geography) AS length_m, ST_MakeLine(point, next_point) AS geom,
            point, next_point
     FROM p WHERE next_node_id IS NOT NULL AND next_node_id <> node_id`,
    [WALKABLE_HIGHWAYS, FOOT_ONLY_HIGHWAYS, FOOT_ALLOWED],
  );
  changes.walkNodesUpserted = await run(
    client,
    `INSERT INTO walk_nodes (id, geom)
     SELECT DISTINCT ON (id) id, geom FROM (
       SELECT source AS id, point AS geom FROM stage_walk_edges UNION ALL SELECT target, next_point FROM stage_walk_edges
     ) n ORDER BY id
     ON CONFLICT (id) DO UPDATE SET geom = EXCLUDED.geom WHERE walk_nodes.geom IS DISTINCT FROM EXCLUDED.geom`,
  );
  changes.walkEdgesUpserted = await run(
    client,
    `INSERT INTO walk_edges (osm_way_id, seq, source, target, highway, name, length_m, geom)
     SELECT osm_way_id, seq, source, target, highway, name, length_m, geom FROM stage_walk_edges
     ON CONFLICT (osm_way_id, seq) DO UPDATE SET source = EXCLUDED.source, target = EXCLUDED.target,
       highway = EXCLUDED.highway, name = EXCLUDED.name, length_m = EXCLUDED.length_m, geom = EXCLUDED.geom
     WHERE (walk_edges.source, walk_edges.target, walk_edges.highway, walk_edges.name, walk_edges.length_m, walk_edges.geom)
       IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.target, EXCLUDED.highway, EXCLUDED.name, EXCLUDED.length_m, EXCLUDED.geom)`,
  );
  changes.walkEdgesDeleted = await run(
    client,
    `DELETE FROM walk_edges e WHERE NOT EXISTS (
       SELECT 1 FROM stage_walk_edges n WHERE n.osm_way_id = e.osm_way_id AND n.seq = e.seq)`,
  );
  changes.walkNodesDeleted = await run(
    client,
    `DELETE FROM walk_nodes v WHERE NOT EXISTS (SELECT 1 FROM walk_edges e WHERE e.source = v.id OR e.target = v.id)`,
  );

  // Real service points from OSM (townhalls, government offices, community centres, social facilities).
  await run(
    client,
    `CREATE TEMP TABLE stage_stations ON COMMIT DROP AS
     WITH src AS (
       SELECT 'osm:n' || osm_id AS source_key, tags, geom FROM ${s}.points
       UNION ALL
       SELECT source_key, tags, ST_PointOnSurface(geom) FROM stage_areas
     ), k AS (
       SELECT source_key, tags, geom, nullif(tags->>'name', '') AS name,
         CASE
           WHEN tags->>'name' ~ '党群服务中心' THEN 'party_center'
           WHEN tags->>'name' ~ '党群服务站' THEN 'party_station'
           WHEN tags->>'amenity' = 'townhall' OR tags->>'office' = 'government' OR tags->>'name' ~ '政务服务' THEN 'government_center'
           WHEN tags->>'amenity' IN ('community_centre', 'social_facility') OR tags->>'name' ~ '(便民服务|社区服务)' THEN 'convenience_station'
         END AS kind
       FROM src
     )
     SELECT source_key, name, kind::station_kind AS kind,
       CASE kind WHEN 'government_center' THEN ARRAY['政务服务']
                 WHEN 'convenience_station' THEN ARRAY['便民服务']
                 ELSE ARRAY['党员活动', '政务代办'] END AS services,
       nullif(tags->>'opening_hours', '') AS opening_hours,
       nullif(coalesce(tags->>'phone', tags->>'contact:phone'), '') AS phone,
       nullif(coalesce(tags->>'addr:full', concat_ws('', tags->>'addr:street', tags->>'addr:housenumber')), '') AS address,
       geom
     FROM k WHERE kind IS NOT NULL AND name IS NOT NULL`,
  );
  changes.stationsUpserted = await run(
    client,
    `INSERT INTO service_stations (source_key, name, kind, is_demo, services, opening_hours, phone, address, location)
     SELECT source_key, name, kind, false, services, opening_hours, phone, address, geom FROM stage_stations
     ON CONFLICT (source_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, is_demo = false,
       services = EXCLUDED.services, opening_hours = EXCLUDED.opening_hours, phone = EXCLUDED.phone,
       address = EXCLUDED.address, location = EXCLUDED.location, updated_at = now()
     WHERE (service_stations.name, service_stations.kind, service_stations.is_demo, service_stations.services,
            service_stations.opening_hours, service_stations.phone, service_stations.address, service_stations.location)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, false, EXCLUDED.services, EXCLUDED.opening_hours,
            EXCLUDED.phone, EXCLUDED.address, EXCLUDED.location)`,
  );
  changes.stationsDeleted = await run(
    client,
    `DELETE FROM service_stations t WHERE t.source_key LIKE 'osm:%'
       AND NOT EXISTS (SELECT 1 FROM stage_stations n WHERE n.source_key = t.source_key)`,
  );
  return changes;
}
