"use server";
import { db } from "@/db";
import { findNearestStations, type NearestStation, NearestStationsInput } from "./_data/nearest-stations";

export type NearestStationsResult = { status: "ok"; stations: NearestStation[] } | { status: "error" };

/** Public (residents are not signed in): reads only open stations, input validated, at most 20 rows. */
export async function findNearestStationsAction(lngLat: [number, number]): Promise<NearestStationsResult> {
  const parsed = NearestStationsInput.safeParse({ lngLat, limit: 20 });
  if (!parsed.success) return { status: "error" };
  try {
    return { status: "ok", stations: await findNearestStations(db, parsed.data) };
  } catch (error) {
    console.error("[resident] nearest stations failed", error);
    return { status: "error" };
  }
}
