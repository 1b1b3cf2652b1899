import "server-only";
import { asc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { adminAreas, serviceStations, stationKind } from "@/db/schema";

export const StationListQuery = z.object({ kind: z.enum(stationKind.enumValues).optional().catch(undefined) });
export type StationListQuery = z.infer<typeof StationListQuery>;

export type StationRow = Awaited<ReturnType<typeof listStations>>[number];

/** Every station (optionally of one kind), centres first, with its community. */
export async function listStations(db: Db, query: StationListQuery) {
  const where: SQL | undefined = query.kind ? eq(serviceStations.kind, query.kind) : undefined;
  return db
    .select({
      id: serviceStations.id,
      name: serviceStations.name,
      kind: serviceStations.kind,
      status: serviceStations.status,
      isDemo: serviceStations.isDemo,
      openingHours: serviceStations.openingHours,
      phone: serviceStations.phone,
      address: serviceStations.address,
      communityName: adminAreas.name,
    })
    .from(serviceStations)
    .leftJoin(adminAreas, eq(adminAreas.id, serviceStations.communityId))
    .where(where)
    .orderBy(
      sql`array_position(array['government_center','party_center','party_station','convenience_station']::station_kind[], ${serviceStations.kind})`,
      asc(adminAreas.code),
      asc(serviceStations.name),
    );
}
