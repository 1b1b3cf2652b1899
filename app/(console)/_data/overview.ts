import "server-only";
import { and, count, eq, isNull, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { adminAreas, buildings, cases, grids, serviceStations } from "@/db/schema";
import { GRID_DEVIATION } from "@/lib/map/colors";
import { getActivePlan } from "./plans";

export type Overview = Awaited<ReturnType<typeof getOverview>>;

/** Figures for the console home panel, all from the database. */
export async function getOverview(db: Db) {
  const plan = await getActivePlan(db);
  const [communityRow, buildingRow, stationRow, caseRow, gridRow] = await Promise.all([
    db.select({ count: count() }).from(adminAreas).where(eq(adminAreas.level, "community")),
    db
      .select({
        count: count(),
        residential: sql<number>`count(*) filter (where ${buildings.residential})`.mapWith(Number),
        households: sql<number>`coalesce(sum(${buildings.households}), 0)`.mapWith(Number),
        surveyed:
          sql<number>`coalesce(sum(${buildings.households}) filter (where ${buildings.householdsSource} = 'surveyed' and ${buildings.householdsSurveyed} is not null), 0)`.mapWith(
            Number,
          ),
      })
      .from(buildings),
    db
      .select({
        count: count(),
        demo: sql<number>`count(*) filter (where ${serviceStations.isDemo})`.mapWith(Number),
      })
      .from(serviceStations)
      .where(notInArray(serviceStations.status, ["closed"])),
    db
      .select({ count: count() })
      .from(cases)
      .where(notInArray(cases.status, ["rejected", "closed"])),
    plan
      ? db
          .select({
            count: count(),
            deviating:
              sql<number>`count(*) filter (where (coalesce(h.households, 0) - ${grids.householdTarget}) * 100.0 / ${grids.householdTarget} not between ${GRID_DEVIATION.under}::numeric and ${GRID_DEVIATION.over}::numeric)`.mapWith(
                Number,
              ),
          })
          .from(grids)
          .leftJoin(
            sql`(select ${buildings.gridId} as grid_id, sum(${buildings.households}) as households from ${buildings} group by ${buildings.gridId}) h`,
            sql`h.grid_id = ${grids.id}`,
          )
          .where(and(eq(grids.planId, plan.id), isNull(grids.validTo)))
      : Promise.resolve([{ count: 0, deviating: 0 }]),
  ]);
  const building = buildingRow[0] ?? { count: 0, residential: 0, households: 0, surveyed: 0 };
  return {
    plan,
    communities: communityRow[0]?.count ?? 0,
    grids: gridRow[0]?.count ?? 0,
    gridsDeviating: gridRow[0]?.deviating ?? 0,
    buildings: building.count,
    residentialBuildings: building.residential,
    households: building.households,
    householdsSurveyed: building.surveyed,
    householdsEstimated: building.households - building.surveyed,
    stations: stationRow[0]?.count ?? 0,
    demoStations: stationRow[0]?.demo ?? 0,
    openCases: caseRow[0]?.count ?? 0,
  };
}
