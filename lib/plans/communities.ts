/**
 * Communities (社区) for the planner: boundary, households and buildings (summed from `buildings.community_id`) and
 * the number of grids of the active plan in each.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import type { CommunityFeature, CommunitySummary, EstateKind } from "./contract";
import { PlanError } from "./errors";

type CommunityRow = {
  id: number;
  code: string;
  name: string;
  street_code: string | null;
  street_name: string | null;
  estate_kind: EstateKind | "mixed" | null;
  households: number;
  buildings: number;
  active_grids: number;
};

const summaryQuery = (where: SQL, withGeometry: boolean) => sql`
  SELECT a.id, a.code, a.name, s.code AS street_code, s.name AS street_name, a.estate_kind,
    coalesce(b.households, 0)::int AS households, coalesce(b.buildings, 0)::int AS buildings,
    (SELECT count(*) FROM grids g JOIN plans p ON p.id = g.plan_id
      WHERE g.community_id = a.id AND p.status = 'active' AND g.valid_to IS NULL)::int AS active_grids
    ${withGeometry ? sql`, ST_AsGeoJSON(a.geom, 7)::json AS geometry` : sql``}
  FROM admin_areas a
  LEFT JOIN admin_areas s ON s.id = a.parent_id AND s.level = 'street'
  LEFT JOIN LATERAL (
    SELECT sum(x.households) AS households, count(*) AS buildings FROM buildings x WHERE x.community_id = a.id
  ) b ON true
  WHERE a.level = 'community' AND ${where}
  ORDER BY a.code`;

function summary(row: CommunityRow): CommunitySummary {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    streetCode: row.street_code,
    streetName: row.street_name,
    estateKind: row.estate_kind,
    households: Number(row.households),
    buildings: Number(row.buildings),
    activeGrids: Number(row.active_grids),
  };
}

/** Every community, sorted by code. */
export async function listCommunities(db: Db): Promise<CommunitySummary[]> {
  const result = await db.execute<CommunityRow>(summaryQuery(sql`true`, false));
  return result.rows.map(summary);
}

/** A community id (positive integer) or 12-digit code, as given in a URL; anything else is bad input. */
export function parseCommunityRef(raw: string | number): { id: number } | { code: string } {
  const text = String(raw).trim();
  if (/^[0-9]{12}$/.test(text)) return { code: text };
  if (/^[1-9][0-9]{0,9}$/.test(text) && Number(text) <= 2_147_483_647) return { id: Number(text) };
  throw new PlanError(
    "bad_input",
    `invalid community "${text}": give its id (a positive integer) or its 12-digit code`,
  );
}

/** One community's boundary (EPSG:4326, 7 decimals) with its summary as properties; unknown → PlanError not_found. */
export async function getCommunityFeature(db: Db, idOrCode: string | number): Promise<CommunityFeature> {
  const ref = parseCommunityRef(idOrCode);
  const where = "code" in ref ? sql`a.code = ${ref.code}` : sql`a.id = ${ref.id}`;
  const result = await db.execute<CommunityRow & { geometry: CommunityFeature["geometry"] }>(summaryQuery(where, true));
  const row = result.rows[0];
  if (!row) throw new PlanError("not_found", `community ${"code" in ref ? ref.code : ref.id} not found`);
  return { type: "Feature", id: Number(row.id), geometry: row.geometry, properties: summary(row) };
}
