import "server-only";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { adminAreas, buildings, grids } from "@/db/schema";

export type BuildingDetail = NonNullable<Awaited<ReturnType<typeof getBuildingDetail>>>;

/** One building with its household figures, levels and where it belongs. */
export async function getBuildingDetail(db: Db, buildingId: number) {
  const community = alias(adminAreas, "community");
  const [row] = await db
    .select({
      id: buildings.id,
      sourceKey: buildings.sourceKey,
      name: buildings.name,
      address: buildings.address,
      buildingType: buildings.buildingType,
      levels: buildings.levels,
      levelsSource: buildings.levelsSource,
      heightM: buildings.heightM,
      residential: buildings.residential,
      areaM2: buildings.areaM2,
      householdsEstimated: buildings.householdsEstimated,
      householdsSurveyed: buildings.householdsSurveyed,
      householdsSource: buildings.householdsSource,
      households: buildings.households,
      gridId: grids.id,
      gridCode: grids.code,
      gridName: grids.name,
      communityId: community.id,
      communityName: community.name,
    })
    .from(buildings)
    .leftJoin(grids, eq(grids.id, buildings.gridId))
    .leftJoin(community, eq(community.id, buildings.communityId))
    .where(eq(buildings.id, buildingId))
    .limit(1);
  return row;
}
