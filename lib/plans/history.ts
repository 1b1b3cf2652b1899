/**
 * Grids as they were on a past date: every grid (any plan) in force at the end of that day in Asia/Shanghai —
 * published (valid_from) before the next midnight and not retired (valid_to) before it.
 */
import { sql } from "drizzle-orm";
import type { MultiPolygon } from "geojson";
import type { Db } from "@/db/index";
import type { GridHistoryGeoJson } from "./contract";
import { PlanError } from "./errors";

/** The day of `instant` in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiDate(instant: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** Check a YYYY-MM-DD date: a real calendar day, not after today (Asia/Shanghai). Throws PlanError bad_input. */
export function parseHistoryDate(raw: string | null | undefined, today = shanghaiDate()): string {
  if (raw === null || raw === undefined || raw === "")
    throw new PlanError("bad_input", "date is required (YYYY-MM-DD)");
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(raw);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (
    !match ||
    year < 1900 ||
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day
  )
    throw new PlanError("bad_input", `invalid date "${raw}": expected a calendar day as YYYY-MM-DD`);
  if (raw > today)
    throw new PlanError("bad_input", `date ${raw} is in the future (today is ${today} in Asia/Shanghai)`);
  return raw;
}

/** Grids in force at the end of `date` (Asia/Shanghai), optionally of one community (12-digit code). */
export async function getGridsOnDate(db: Db, date: string, communityCode?: string | null): Promise<GridHistoryGeoJson> {
  const day = parseHistoryDate(date);
  if (communityCode !== undefined && communityCode !== null && !/^[0-9]{12}$/.test(communityCode))
    throw new PlanError("bad_input", `invalid community "${communityCode}": expected a 12-digit community code`);
  if (communityCode) {
    const known = await db.execute(
      sql`SELECT 1 FROM admin_areas WHERE code = ${communityCode} AND level = 'community'`,
    );
    if (known.rows.length === 0) throw new PlanError("not_found", `community ${communityCode} not found`);
  }
  const result = await db.execute<{
    id: number;
    code: string;
    name: string;
    plan_id: number;
    valid_from: string | null;
    valid_to: string | null;
    geometry: MultiPolygon;
  }>(sql`
    WITH bound AS (SELECT ((${day}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS t)
    SELECT g.id, g.code, g.name, g.plan_id,
      to_char(g.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS valid_from,
      to_char(g.valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS valid_to,
      ST_AsGeoJSON(ST_Multi(g.geom), 7)::json AS geometry
    FROM grids g CROSS JOIN bound
    WHERE g.valid_from IS NOT NULL AND g.valid_from < bound.t AND (g.valid_to IS NULL OR g.valid_to >= bound.t)
      ${communityCode ? sql`AND g.community_id = (SELECT id FROM admin_areas WHERE code = ${communityCode})` : sql``}
    ORDER BY g.code, g.id`);
  return {
    type: "FeatureCollection",
    features: result.rows.map((r) => ({
      type: "Feature",
      id: Number(r.id),
      geometry: r.geometry,
      properties: {
        id: Number(r.id),
        code: r.code,
        name: r.name,
        planId: Number(r.plan_id),
        validFrom: r.valid_from,
        validTo: r.valid_to,
      },
    })),
  };
}
