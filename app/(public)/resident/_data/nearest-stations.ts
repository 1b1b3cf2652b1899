import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db";
import { adminAreas, serviceStations } from "@/db/schema";

export const NearestStationsInput = z.object({
  lngLat: z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-85).max(85)]),
  limit: z.number().int().min(1).max(50).default(20),
});
export type NearestStationsInput = z.input<typeof NearestStationsInput>;

export type NearestStation = Awaited<ReturnType<typeof findNearestStations>>[number];

/**
 * Open stations nearest to a point: the GiST index orders candidates by planar distance (KNN `<->`), then they are
 * re-sorted by true ground distance in metres, which the planar order only approximates at this latitude.
 */
export async function findNearestStations(db: Db, input: NearestStationsInput) {
  const { lngLat, limit } = NearestStationsInput.parse(input);
  const point = sql`ST_SetSRID(ST_MakePoint(${lngLat[0]}, ${lngLat[1]}), 4326)`;
  const community = alias(adminAreas, "community");
  const rows = await db
    .select({
      id: serviceStations.id,
      name: serviceStations.name,
      kind: serviceStations.kind,
      isDemo: serviceStations.isDemo,
      services: serviceStations.services,
      openingHours: serviceStations.openingHours,
      phone: serviceStations.phone,
      address: serviceStations.address,
      communityName: community.name,
      lngLat: sql<[number, number]>`ARRAY[ST_X(${serviceStations.location}), ST_Y(${serviceStations.location})]`,
      distanceMeters: sql<number>`ST_Distance(${serviceStations.location}::geography, ${point}::geography)`.mapWith(
        Number,
      ),
    })
    .from(serviceStations)
    .leftJoin(community, eq(community.id, serviceStations.communityId))
    .where(and(eq(serviceStations.status, "active")))
    .orderBy(sql`${serviceStations.location} <-> ${point}`)
    .limit(limit);
  return rows.sort((a, b) => a.distanceMeters - b.distanceMeters);
}
