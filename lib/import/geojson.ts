import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Pool, PoolClient } from "pg";
import { z } from "zod";
import { crsFromGeoJsonMember, type LngLat, type SourceCrs, toWgs84 } from "@/lib/geo/crs";
import { assignBuildings } from "./derive";
import { IMPORT_ACTOR, sha256File } from "./osm";
import {
  AREA_PER_HOUSEHOLD_M2,
  DEFAULT_LEVELS,
  FALLBACK_LEVELS,
  RESIDENTIAL_BUILDING_TYPES,
  USABLE_FLOOR_RATIO,
} from "./osm-rules";

export const GeoJsonKind = z.enum(["communities", "buildings", "stations"]);
export type GeoJsonKind = z.infer<typeof GeoJsonKind>;
export const SourceCrsOption = z.enum(["4326", "4490", "gcj02"]);

export class GeoJsonImportError extends Error {
  override name = "GeoJsonImportError";
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join("\n  - ")}` : message);
  }
}

const Position = z
  .array(z.number().finite())
  .min(2, "a position needs [lng, lat]")
  .max(3, "a position has at most [lng, lat, height]")
  .superRefine((position, context) => {
    const [lng = 0, lat = 0] = position;
    if (lng < -180 || lng > 180) context.addIssue({ code: "custom", message: `longitude ${lng} is out of range ±180` });
    if (lat < -90 || lat > 90) context.addIssue({ code: "custom", message: `latitude ${lat} is out of range ±90` });
  });

const Ring = z
  .array(Position)
  .min(4, "a ring needs at least 4 positions")
  .superRefine((ring, context) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
      context.addIssue({ code: "custom", message: "ring is not closed (first and last positions differ)" });
    }
  });

const PolygonGeometry = z.object({ type: z.literal("Polygon"), coordinates: z.array(Ring).min(1) });
const MultiPolygonGeometry = z.object({
  type: z.literal("MultiPolygon"),
  coordinates: z.array(z.array(Ring).min(1)).min(1),
});
const AreaGeometry = z.discriminatedUnion("type", [PolygonGeometry, MultiPolygonGeometry]);
const PointGeometry = z.object({ type: z.literal("Point"), coordinates: Position });

const FeatureId = z.union([z.string().min(1), z.number()]).optional();
const optionalText = z.string().trim().min(1).optional().nullable();

export const CommunityProperties = z.preprocess(
  // `street_code` is accepted as an alias of `parent_code`.
  (value) =>
    value && typeof value === "object" && "street_code" in value && !("parent_code" in value)
      ? { ...value, parent_code: (value as { street_code?: unknown }).street_code }
      : value,
  z.object({
    code: z.string().regex(/^[0-9]{12}$/, "code must be the 12-digit community code"),
    name: z.string().trim().min(1, "name is required"),
    parent_code: z
      .string()
      .regex(/^[0-9]{9}$/, "parent_code must be a 9-digit street code")
      .optional()
      .nullable(),
    estate_kind: z.enum(["old", "new", "mixed"]).optional().nullable(),
  }),
);
export const BuildingProperties = z.object({
  id: FeatureId,
  name: optionalText,
  address: optionalText,
  building_type: z.string().trim().min(1).optional().nullable(),
  levels: z.number().int().positive("levels must be a positive integer").optional().nullable(),
  households: z.number().int().nonnegative("households must be a non-negative integer").optional().nullable(),
  residential: z.boolean().optional().nullable(),
});
export const StationProperties = z.object({
  id: FeatureId,
  name: z.string().trim().min(1, "name is required"),
  kind: z.enum(["party_center", "party_station", "convenience_station", "government_center"], {
    message: "kind must be party_center, party_station, convenience_station or government_center",
  }),
  services: z.array(z.string().min(1)).optional().nullable(),
  opening_hours: optionalText,
  phone: optionalText,
  address: optionalText,
  status: z.enum(["active", "draft", "closed"]).optional().nullable(),
});

const FeatureCollection = z.object({
  type: z.literal("FeatureCollection", { message: 'type must be "FeatureCollection"' }),
  crs: z.unknown().optional(),
  features: z.array(z.unknown()).min(1, "the FeatureCollection has no features"),
});

function featureSchema(kind: GeoJsonKind) {
  const geometry = kind === "stations" ? PointGeometry : AreaGeometry;
  const properties =
    kind === "communities" ? CommunityProperties : kind === "buildings" ? BuildingProperties : StationProperties;
  return z.object({ type: z.literal("Feature"), id: FeatureId, geometry, properties });
}

export interface ParsedFeature {
  index: number;
  label: string;
  sourceKey: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

function describeFeature(index: number, feature: unknown): string {
  const record = (feature ?? {}) as { id?: unknown; properties?: Record<string, unknown> };
  const id = record.id ?? record.properties?.id ?? record.properties?.code;
  return id === undefined ? `feature ${index}` : `feature ${index} (id ${String(id)})`;
}

function mapPositions(coordinates: unknown, convert: (lngLat: LngLat) => LngLat): unknown {
  if (Array.isArray(coordinates) && typeof coordinates[0] === "number") {
    const [lng, lat] = convert([coordinates[0] as number, coordinates[1] as number]);
    return [lng, lat];
  }
  return (coordinates as unknown[]).map((child) => mapPositions(child, convert));
}

/** Validate and normalise a GeoJSON FeatureCollection; throws GeoJsonImportError listing every bad feature. */
export function parseGeoJson(
  text: string,
  kind: GeoJsonKind,
  crsOption?: SourceCrs,
): { crs: SourceCrs; features: ParsedFeature[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GeoJsonImportError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const collection = FeatureCollection.safeParse(json);
  if (!collection.success) {
    throw new GeoJsonImportError(
      "not a GeoJSON FeatureCollection",
      collection.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  let memberCrs: SourceCrs | null;
  try {
    memberCrs = crsFromGeoJsonMember(collection.data.crs);
  } catch (error) {
    throw new GeoJsonImportError(error instanceof Error ? error.message : String(error));
  }
  if (crsOption && memberCrs && crsOption !== memberCrs && !(crsOption !== "gcj02" && memberCrs !== "gcj02")) {
    throw new GeoJsonImportError(`--crs ${crsOption} contradicts the file's crs member (${memberCrs})`);
  }
  const crs = crsOption ?? memberCrs ?? "4326";

  const schema = featureSchema(kind);
  const problems: string[] = [];
  const features: ParsedFeature[] = [];
  const seen = new Map<string, number>();
  collection.data.features.forEach((raw, index) => {
    const label = describeFeature(index, raw);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${label}: ${issue.path.join(".") || "(feature)"}: ${issue.message}`);
      }
      return;
    }
    const feature = parsed.data;
    const properties = feature.properties as Record<string, unknown>;
    const id = feature.id ?? (properties.id as string | number | undefined);
    let sourceKey: string;
    if (kind === "communities") {
      sourceKey = String(properties.code);
    } else if (id !== undefined) {
      sourceKey = `geojson:${id}`;
    } else if (kind === "stations") {
      const [lng = 0, lat = 0] = feature.geometry.coordinates as number[];
      sourceKey = `geojson:${properties.name}@${lng.toFixed(6)},${lat.toFixed(6)}`;
    } else {
      problems.push(`${label}: a building needs an id (feature.id or properties.id) to be re-importable`);
      return;
    }
    const previous = seen.get(sourceKey);
    if (previous !== undefined) {
      problems.push(`${label}: duplicates feature ${previous} (${sourceKey})`);
      return;
    }
    seen.set(sourceKey, index);
    features.push({
      index,
      label,
      sourceKey,
      geometry: {
        type: feature.geometry.type,
        coordinates: mapPositions(feature.geometry.coordinates, (lngLat) => toWgs84(lngLat, crs)),
      },
      properties,
    });
  });
  if (problems.length > 0) throw new GeoJsonImportError(`${problems.length} invalid feature(s)`, problems);
  return { crs, features };
}

export interface GeoJsonImportResult {
  kind: GeoJsonKind;
  crs: SourceCrs;
  features: number;
  inserted: number;
  updated: number;
}

/** Import a GeoJSON file as communities, buildings or stations in one transaction: any bad feature → nothing written. */
export async function importGeoJsonFile(
  pool: Pool,
  file: string,
  options: { as: GeoJsonKind; crs?: SourceCrs },
): Promise<GeoJsonImportResult> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    throw new GeoJsonImportError(`GeoJSON file not found: ${absolute}`);
  }
  const { crs, features } = parseGeoJson(text, options.as, options.crs);
  const sha256 = await sha256File(absolute);

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query(
        `CREATE TEMP TABLE geojson_in ON COMMIT DROP AS
         SELECT f.index, f.label, f."sourceKey" AS source_key, f.properties,
                ST_SetSRID(ST_GeomFromGeoJSON(f.geometry::text), 4326) AS geom
         FROM jsonb_to_recordset($1::jsonb) AS f(index int, label text, "sourceKey" text, properties jsonb, geometry jsonb)`,
        [JSON.stringify(features)],
      );
      const invalid = await client.query<{ label: string; reason: string }>(
        `SELECT label, ST_IsValidReason(geom) AS reason FROM geojson_in
         WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) ORDER BY index`,
      );
      if (invalid.rowCount) {
        throw new GeoJsonImportError(
          `${invalid.rowCount} invalid geometr${invalid.rowCount === 1 ? "y" : "ies"}`,
          invalid.rows.map((row) => `${row.label}: ${row.reason}`),
        );
      }
      const { inserted, updated } = await writeFeatures(client, options.as);
      await assignBuildings(client, {});
      await client.query("INSERT INTO import_runs (kind, file_name, sha256, counts) VALUES ($1, $2, $3, $4)", [
        `geojson:${options.as}`,
        path.basename(absolute),
        sha256,
        JSON.stringify({ features: features.length, inserted, updated }),
      ]);
      await client.query(
        "INSERT INTO audit_log (actor, action, entity, entity_id, detail) VALUES ($1, 'import.geojson', $2, $3, $4)",
        [
          IMPORT_ACTOR,
          options.as,
          sha256,
          JSON.stringify({ file: path.basename(absolute), crs, features: features.length, inserted, updated }),
        ],
      );
      await client.query("COMMIT");
      return { kind: options.as, crs, features: features.length, inserted, updated };
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  } finally {
    client.release();
  }
}

async function writeFeatures(client: PoolClient, kind: GeoJsonKind): Promise<{ inserted: number; updated: number }> {
  let sql: string;
  let params: unknown[] = [];
  if (kind === "communities") {
    const missingParent = await client.query<{ label: string; code: string }>(
      `SELECT g.label, g.properties->>'parent_code' AS code FROM geojson_in g
       WHERE g.properties->>'parent_code' IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM admin_areas a WHERE a.code = g.properties->>'parent_code' AND a.level = 'street')`,
    );
    if (missingParent.rowCount) {
      throw new GeoJsonImportError(
        "unknown parent street",
        missingParent.rows.map((row) => `${row.label}: no street with code ${row.code}`),
      );
    }
    sql = `INSERT INTO admin_areas (level, code, name, parent_id, source, estate_kind, geom)
      SELECT 'community', g.source_key, g.properties->>'name',
             coalesce((SELECT a.id FROM admin_areas a WHERE a.code = g.properties->>'parent_code'),
                      (SELECT a.id FROM admin_areas a WHERE a.code = left(g.source_key, 9) AND a.level = 'street'),
                      (SELECT a.id FROM admin_areas a WHERE a.level = 'street'
                         AND ST_Intersects(a.geom, ST_PointOnSurface(g.geom)) ORDER BY a.id LIMIT 1)),
             'official', coalesce(g.properties->>'estate_kind', 'old'), ST_Multi(g.geom)
      FROM geojson_in g
      ON CONFLICT (code) DO UPDATE SET level = 'community', name = EXCLUDED.name, parent_id = EXCLUDED.parent_id,
        source = 'official', estate_kind = EXCLUDED.estate_kind, geom = EXCLUDED.geom, updated_at = now()
      RETURNING (xmax = 0) AS inserted`;
  } else if (kind === "buildings") {
    sql = `WITH b AS (
        SELECT g.source_key, g.properties, ST_Multi(g.geom) AS geom, ST_Area(g.geom::geography) AS area_m2,
               coalesce(g.properties->>'building_type', 'yes') AS building_type,
               (g.properties->>'levels')::int AS levels_tag, (g.properties->>'households')::int AS households
        FROM geojson_in g
      ), l AS (
        SELECT b.*, coalesce(b.levels_tag, ($1::jsonb ->> b.building_type)::int, $2) AS levels,
               coalesce((b.properties->>'residential')::boolean, b.households > 0, b.building_type = ANY($3::text[])) AS residential
        FROM b
      )
      INSERT INTO buildings (source_key, name, address, building_type, levels, levels_source, residential, area_m2,
                             households_estimated, households_surveyed, households_source, geom)
      SELECT source_key, properties->>'name', properties->>'address', building_type, levels,
             CASE WHEN levels_tag IS NULL THEN 'default' ELSE 'tagged' END::levels_source, residential, area_m2,
             CASE WHEN residential THEN greatest(1, round((area_m2 * levels * $4 / $5)::numeric))::int ELSE 0 END,
             households, CASE WHEN households IS NULL THEN 'estimated' ELSE 'surveyed' END::households_source, geom
      FROM l
      ON CONFLICT (source_key) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address,
        building_type = EXCLUDED.building_type, levels = EXCLUDED.levels, levels_source = EXCLUDED.levels_source,
        residential = EXCLUDED.residential, area_m2 = EXCLUDED.area_m2,
        households_estimated = EXCLUDED.households_estimated,
        households_surveyed = coalesce(EXCLUDED.households_surveyed, buildings.households_surveyed),
        households_source = CASE WHEN EXCLUDED.households_surveyed IS NULL THEN buildings.households_source ELSE 'surveyed' END,
        geom = EXCLUDED.geom, updated_at = now()
      RETURNING (xmax = 0) AS inserted`;
    params = [
      JSON.stringify(DEFAULT_LEVELS),
      FALLBACK_LEVELS,
      RESIDENTIAL_BUILDING_TYPES,
      USABLE_FLOOR_RATIO,
      AREA_PER_HOUSEHOLD_M2,
    ];
  } else {
    sql = `INSERT INTO service_stations (source_key, name, kind, status, is_demo, services, opening_hours, phone, address, location)
      SELECT g.source_key, g.properties->>'name', (g.properties->>'kind')::station_kind,
             coalesce(g.properties->>'status', 'active')::station_status, false,
             CASE WHEN jsonb_typeof(g.properties->'services') = 'array'
                  THEN ARRAY(SELECT jsonb_array_elements_text(g.properties->'services')) ELSE '{}'::text[] END,
             g.properties->>'opening_hours', g.properties->>'phone', g.properties->>'address', g.geom
      FROM geojson_in g
      ON CONFLICT (source_key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, status = EXCLUDED.status,
        is_demo = false, services = EXCLUDED.services, opening_hours = EXCLUDED.opening_hours, phone = EXCLUDED.phone,
        address = EXCLUDED.address, location = EXCLUDED.location, updated_at = now()
      RETURNING (xmax = 0) AS inserted`;
  }
  const result = await client.query<{ inserted: boolean }>(sql, params);
  const inserted = result.rows.filter((row) => row.inserted).length;
  return { inserted, updated: result.rows.length - inserted };
}
