import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { adminAreas } from "./admin";
import { createdAt, geometry, updatedAt } from "./columns";
import { grids } from "./grids";

/** Where a building's level count comes from (see docs/data.md for the defaults). */
export const levelsSource = pgEnum("levels_source", ["tagged", "height", "default"]);
export const householdsSource = pgEnum("households_source", ["estimated", "surveyed"]);

export const buildings = pgTable(
  "buildings",
  {
    id: serial().primaryKey(),
    /** Stable source key, e.g. `osm:w123`, `osm:r45` or `geojson:<file-id>`; re-imports upsert on it. */
    sourceKey: text().notNull(),
    name: text(),
    address: text(),
    /** The OSM `building=*` value (apartments, residential, yes, …). */
    buildingType: text().notNull().default("yes"),
    levels: integer().notNull(),
    levelsSource: levelsSource().notNull(),
    heightM: doublePrecision(),
    residential: boolean().notNull(),
    areaM2: doublePrecision("area_m2").notNull(),
    householdsEstimated: integer().notNull().default(0),
    householdsSurveyed: integer(),
    householdsSource: householdsSource().notNull().default("estimated"),
    /** The count in use: surveyed when present and chosen, otherwise the estimate. */
    households: integer()
      .notNull()
      .generatedAlwaysAs(
        sql`CASE WHEN households_source = 'surveyed' AND households_surveyed IS NOT NULL THEN households_surveyed ELSE households_estimated END`,
      ),
    gridId: integer().references(() => grids.id, { onDelete: "set null" }),
    communityId: integer().references(() => adminAreas.id, { onDelete: "set null" }),
    geom: geometry("geom", "MultiPolygon").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("buildings_source_key_key").on(t.sourceKey),
    index("buildings_grid_idx").on(t.gridId),
    index("buildings_community_idx").on(t.communityId),
    index("buildings_geom_gist").using("gist", t.geom),
    check("buildings_levels_positive", sql`${t.levels} > 0`),
    check(
      "buildings_households_nonnegative",
      sql`${t.householdsEstimated} >= 0 AND coalesce(${t.householdsSurveyed}, 0) >= 0`,
    ),
  ],
);

export type Building = typeof buildings.$inferSelect;
