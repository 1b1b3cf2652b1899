import "server-only";
import { and, asc, count, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { adminAreas, buildings, gridMembers, grids, partyOrganizations, plans } from "@/db/schema";
import { getActivePlan } from "./plans";

export const GRID_SORTS = ["code", "deviation_desc", "deviation_asc", "deviation_abs"] as const;
export type GridSort = (typeof GRID_SORTS)[number];

export const GridListQuery = z.object({
  community: z.coerce.number().int().positive().optional().catch(undefined),
  sort: z.enum(GRID_SORTS).catch("code"),
});
export type GridListQuery = z.infer<typeof GridListQuery>;

/** Households and building count per grid (the count in use: surveyed where chosen, else the estimate). */
const gridTotals = sql`(
  select ${buildings.gridId} as grid_id,
         count(*)::int as building_count,
         coalesce(sum(${buildings.households}), 0)::int as households,
         coalesce(sum(${buildings.householdsEstimated}), 0)::int as households_estimated,
         (count(*) filter (where ${buildings.householdsSource} = 'surveyed' and ${buildings.householdsSurveyed} is not null))::int as surveyed_buildings
  from ${buildings}
  where ${buildings.gridId} is not null
  group by ${buildings.gridId}
) totals`;

const households = sql<number>`coalesce(totals.households, 0)`.mapWith(Number);
const deviationPct =
  sql<number>`round(((coalesce(totals.households, 0) - ${grids.householdTarget}) * 100.0 / ${grids.householdTarget})::numeric, 1)`.mapWith(
    Number,
  );

export type GridRow = Awaited<ReturnType<typeof listActivePlanGrids>>["rows"][number];

/** The active plan's current grids with households against target, filtered and sorted for the grid table. */
export async function listActivePlanGrids(db: Db, query: GridListQuery) {
  const plan = await getActivePlan(db);
  if (!plan) return { plan: undefined, rows: [], communities: [] };
  const inPlan = and(eq(grids.planId, plan.id), isNull(grids.validTo));
  const filter = query.community ? and(inPlan, eq(grids.communityId, query.community)) : inPlan;
  const order: SQL[] =
    query.sort === "deviation_desc"
      ? [desc(deviationPct), asc(grids.code)]
      : query.sort === "deviation_asc"
        ? [asc(deviationPct), asc(grids.code)]
        : query.sort === "deviation_abs"
          ? [desc(sql`abs(${deviationPct})`), asc(grids.code)]
          : [asc(grids.code)];
  const [rows, communities] = await Promise.all([
    db
      .select({
        id: grids.id,
        code: grids.code,
        name: grids.name,
        communityId: grids.communityId,
        communityName: adminAreas.name,
        estateKind: grids.estateKind,
        householdTarget: grids.householdTarget,
        households,
        deviationPct,
        buildingCount: sql<number>`coalesce(totals.building_count, 0)`.mapWith(Number),
      })
      .from(grids)
      .innerJoin(adminAreas, eq(adminAreas.id, grids.communityId))
      .leftJoin(gridTotals, sql`totals.grid_id = ${grids.id}`)
      .where(filter)
      .orderBy(...order),
    db
      .select({ id: adminAreas.id, name: adminAreas.name, gridCount: count() })
      .from(grids)
      .innerJoin(adminAreas, eq(adminAreas.id, grids.communityId))
      .where(inPlan)
      .groupBy(adminAreas.id, adminAreas.name, adminAreas.code)
      .orderBy(asc(adminAreas.code)),
  ]);
  return { plan, rows, communities };
}

export type GridDetail = NonNullable<Awaited<ReturnType<typeof getGridDetail>>>;

/** One grid with its plan, community, household totals, team and party organisations. */
export async function getGridDetail(db: Db, gridId: number) {
  const [grid] = await db
    .select({
      id: grids.id,
      code: grids.code,
      name: grids.name,
      estateKind: grids.estateKind,
      householdTarget: grids.householdTarget,
      validTo: grids.validTo,
      planName: plans.name,
      planStatus: plans.status,
      communityId: grids.communityId,
      communityName: adminAreas.name,
      communityCode: adminAreas.code,
      households,
      deviationPct,
      householdsEstimated: sql<number>`coalesce(totals.households_estimated, 0)`.mapWith(Number),
      surveyedBuildings: sql<number>`coalesce(totals.surveyed_buildings, 0)`.mapWith(Number),
      buildingCount: sql<number>`coalesce(totals.building_count, 0)`.mapWith(Number),
      areaKm2: sql<number>`ST_Area(${grids.geom}::geography) / 1e6`.mapWith(Number),
    })
    .from(grids)
    .innerJoin(plans, eq(plans.id, grids.planId))
    .innerJoin(adminAreas, eq(adminAreas.id, grids.communityId))
    .leftJoin(gridTotals, sql`totals.grid_id = ${grids.id}`)
    .where(eq(grids.id, gridId))
    .limit(1);
  if (!grid) return undefined;
  const [members, partyOrgs, topBuildings] = await Promise.all([
    db
      .select({
        id: gridMembers.id,
        name: gridMembers.name,
        phone: gridMembers.phone,
        teamRole: gridMembers.teamRole,
        specialty: gridMembers.specialty,
        onDuty: gridMembers.onDuty,
        isDemo: gridMembers.isDemo,
      })
      .from(gridMembers)
      .where(and(eq(gridMembers.gridId, gridId), eq(gridMembers.active, true)))
      .orderBy(
        sql`array_position(array['grid_leader','grid_instructor','grid_worker','resident_worker','part_time_worker']::team_role[], ${gridMembers.teamRole})`,
        asc(gridMembers.name),
      ),
    db
      .select({
        id: partyOrganizations.id,
        name: partyOrganizations.name,
        kind: partyOrganizations.kind,
        memberCount: partyOrganizations.memberCount,
        isDemo: partyOrganizations.isDemo,
        buildingId: partyOrganizations.buildingId,
      })
      .from(partyOrganizations)
      .where(eq(partyOrganizations.gridId, gridId))
      .orderBy(
        sql`array_position(array['grid_branch','party_group','member_household']::party_org_kind[], ${partyOrganizations.kind})`,
        asc(partyOrganizations.name),
      ),
    db
      .select({
        id: buildings.id,
        name: buildings.name,
        address: buildings.address,
        households: buildings.households,
        householdsSource: buildings.householdsSource,
        levels: buildings.levels,
      })
      .from(buildings)
      .where(eq(buildings.gridId, gridId))
      .orderBy(desc(buildings.households), asc(buildings.id))
      .limit(8),
  ]);
  return { ...grid, members, partyOrgs, topBuildings };
}
