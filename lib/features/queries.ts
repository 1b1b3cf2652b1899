import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import type { Bbox, BuildingDetails, GridDetails, LngLat, StationDetails } from "./schemas";

type LocationRow = { west: number; south: number; east: number; north: number; lng: number; lat: number };

function location(row: LocationRow): { bbox: Bbox; lngLat: LngLat } {
  return {
    bbox: [Number(row.west), Number(row.south), Number(row.east), Number(row.north)],
    lngLat: [Number(row.lng), Number(row.lat)],
  };
}

// Extent and a point guaranteed inside the geometry (for flying to it and for the panel's "show on map").
const extentColumns = (geom: ReturnType<typeof sql.raw>) => sql`
  ST_XMin(${geom})::float8 AS west, ST_YMin(${geom})::float8 AS south,
  ST_XMax(${geom})::float8 AS east, ST_YMax(${geom})::float8 AS north,
  ST_X(ST_PointOnSurface(${geom}))::float8 AS lng, ST_Y(ST_PointOnSurface(${geom}))::float8 AS lat`;

/** One grid with its live totals (households and buildings from the buildings assigned to it). */
export async function getGridDetails(db: Db, id: number): Promise<GridDetails | undefined> {
  const result = await db.execute<
    LocationRow & {
      id: number;
      code: string;
      name: string;
      community_id: number;
      community_name: string | null;
      street_name: string | null;
      estate_kind: "old" | "new";
      household_target: number;
      households: number;
      building_count: number;
      estimated_building_count: number;
      area_m2: number;
      current: boolean;
    }
  >(sql`
    SELECT g.id, g.code, g.name, g.community_id, c.name AS community_name, s.name AS street_name,
      g.estate_kind::text AS estate_kind, g.household_target,
      coalesce(t.households, 0)::int AS households, coalesce(t.building_count, 0)::int AS building_count,
      coalesce(t.estimated_building_count, 0)::int AS estimated_building_count,
      ST_Area(g.geom::geography)::float8 AS area_m2,
      (g.valid_to IS NULL AND p.status = 'active') AS current,
      ${extentColumns(sql.raw("g.geom"))}
    FROM grids g
    JOIN plans p ON p.id = g.plan_id
    LEFT JOIN admin_areas c ON c.id = g.community_id
    LEFT JOIN admin_areas s ON s.id = c.parent_id
    LEFT JOIN LATERAL (
      SELECT sum(b.households) AS households, count(*) AS building_count,
        count(*) FILTER (WHERE b.residential AND b.households_source = 'estimated') AS estimated_building_count
      FROM buildings b WHERE b.grid_id = g.id
    ) t ON true
    WHERE g.id = ${id}`);
  const row = result.rows[0];
  if (!row) return undefined;
  const households = Number(row.households);
  const target = Number(row.household_target);
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    communityId: Number(row.community_id),
    communityName: row.community_name,
    streetName: row.street_name,
    estateKind: row.estate_kind,
    householdTarget: target,
    households,
    deviationPct: target > 0 ? Math.round((1000 * (households - target)) / target) / 10 : 0,
    buildingCount: Number(row.building_count),
    estimatedBuildingCount: Number(row.estimated_building_count),
    areaM2: Number(row.area_m2),
    current: Boolean(row.current),
    ...location(row),
  };
}

export async function getBuildingDetails(db: Db, id: number): Promise<BuildingDetails | undefined> {
  const result = await db.execute<
    LocationRow & {
      id: number;
      name: string | null;
      address: string | null;
      building_type: string;
      levels: number;
      levels_source: BuildingDetails["levelsSource"];
      height_m: number | null;
      residential: boolean;
      area_m2: number;
      households: number;
      households_estimated: number;
      households_surveyed: number | null;
      households_source: BuildingDetails["householdsSource"];
      grid_id: number | null;
      grid_code: string | null;
      community_name: string | null;
    }
  >(sql`
    SELECT b.id, b.name, b.address, b.building_type, b.levels, b.levels_source::text AS levels_source, b.height_m,
      b.residential, b.area_m2 AS area_m2, b.households, b.households_estimated, b.households_surveyed,
      b.households_source::text AS households_source, b.grid_id, g.code AS grid_code, c.name AS community_name,
      ${extentColumns(sql.raw("b.geom"))}
    FROM buildings b
    LEFT JOIN grids g ON g.id = b.grid_id
    LEFT JOIN admin_areas c ON c.id = b.community_id
    WHERE b.id = ${id}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    name: row.name,
    address: row.address,
    buildingType: row.building_type,
    levels: Number(row.levels),
    levelsSource: row.levels_source,
    heightM: row.height_m === null ? null : Number(row.height_m),
    residential: Boolean(row.residential),
    areaM2: Number(row.area_m2),
    households: Number(row.households),
    householdsEstimated: Number(row.households_estimated),
    householdsSurveyed: row.households_surveyed === null ? null : Number(row.households_surveyed),
    householdsSource: row.households_source,
    gridId: row.grid_id === null ? null : Number(row.grid_id),
    gridCode: row.grid_code,
    communityName: row.community_name,
    ...location(row),
  };
}

/** Public details of a service station (residents see these without signing in). */
export async function getStationDetails(db: Db, id: number): Promise<StationDetails | undefined> {
  const result = await db.execute<
    LocationRow & {
      id: number;
      name: string;
      kind: StationDetails["kind"];
      status: StationDetails["status"];
      is_demo: boolean;
      services: string[] | null;
      opening_hours: string | null;
      phone: string | null;
      address: string | null;
      community_name: string | null;
    }
  >(sql`
    SELECT s.id, s.name, s.kind::text AS kind, s.status::text AS status, s.is_demo, s.services, s.opening_hours,
      s.phone, s.address, c.name AS community_name,
      ${extentColumns(sql.raw("s.location"))}
    FROM service_stations s
    LEFT JOIN admin_areas c ON c.id = s.community_id
    WHERE s.id = ${id}`);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    status: row.status,
    isDemo: Boolean(row.is_demo),
    services: row.services ?? [],
    openingHours: row.opening_hours,
    phone: row.phone,
    address: row.address,
    communityName: row.community_name,
    ...location(row),
  };
}

export type LabelCollection = {
  type: "FeatureCollection";
  features: {
    type: "Feature";
    id: number;
    geometry: { type: "Point"; coordinates: LngLat };
    properties: Record<string, unknown>;
  }[];
};

function labelCollection(
  rows: ({ id: number; lng: number; lat: number } & Record<string, unknown>)[],
): LabelCollection {
  return {
    type: "FeatureCollection",
    features: rows.map(({ id, lng, lat, ...properties }) => ({
      type: "Feature",
      id: Number(id),
      geometry: { type: "Point", coordinates: [Number(lng), Number(lat)] },
      properties: { id: Number(id), ...properties },
    })),
  };
}

/**
 * One label point per 街道 and 社区 (public). Labelling polygons from vector tiles repeats the name in every tile the
 * polygon crosses, so names come from these points instead.
 */
export async function listAdminLabels(db: Db): Promise<LabelCollection> {
  const result = await db.execute<{ id: number; name: string; level: string; lng: number; lat: number }>(sql`
    SELECT a.id, a.name, a.level::text AS level,
      ST_X(ST_PointOnSurface(a.geom))::float8 AS lng, ST_Y(ST_PointOnSurface(a.geom))::float8 AS lat
    FROM admin_areas a
    WHERE a.level IN ('street', 'community')
    ORDER BY a.level, a.id`);
  return labelCollection(result.rows);
}

/** One label point per grid of the active plan (signed-in users), for the grid codes. */
export async function listGridLabels(db: Db): Promise<LabelCollection> {
  const result = await db.execute<{ id: number; code: string; name: string; lng: number; lat: number }>(sql`
    SELECT g.id, g.code, g.name,
      ST_X(ST_PointOnSurface(g.geom))::float8 AS lng, ST_Y(ST_PointOnSurface(g.geom))::float8 AS lat
    FROM grids g JOIN plans p ON p.id = g.plan_id
    WHERE p.status = 'active' AND g.valid_to IS NULL
    ORDER BY g.id`);
  return labelCollection(result.rows);
}
