import { boolean, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { adminAreas } from "./admin";
import { createdAt, geometry, updatedAt } from "./columns";

/** 党群服务中心 / 党群服务站 / 便民服务站 / 政务服务中心. */
export const stationKind = pgEnum("station_kind", [
  "party_center",
  "party_station",
  "convenience_station",
  "government_center",
]);
export const stationStatus = pgEnum("station_status", ["active", "draft", "closed"]);

export const serviceStations = pgTable(
  "service_stations",
  {
    id: serial().primaryKey(),
    /** `osm:n123` for OSM POIs, `demo:<community code>` for demo stations. */
    sourceKey: text().notNull(),
    name: text().notNull(),
    kind: stationKind().notNull(),
    status: stationStatus().notNull().default("active"),
    /** Demo stations are seeded by documented rules, not real; the UI labels them. */
    isDemo: boolean().notNull().default(false),
    services: text().array().notNull().default([]),
    /** OSM opening_hours syntax, e.g. `Mo-Fr 08:30-17:30; Sa 09:00-12:00`. */
    openingHours: text(),
    phone: text(),
    address: text(),
    communityId: integer().references(() => adminAreas.id, { onDelete: "set null" }),
    location: geometry("location", "Point").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("service_stations_source_key_key").on(t.sourceKey),
    index("service_stations_community_idx").on(t.communityId),
    index("service_stations_location_gist").using("gist", t.location),
  ],
);

export type ServiceStation = typeof serviceStations.$inferSelect;
