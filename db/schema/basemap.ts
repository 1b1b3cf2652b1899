import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  serial,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { geometry, geometry3857 } from "./columns";

/** Roads and railways for the basemap; `kind` is the OSM highway/railway value, `rank` 1 (motorway) … 9 (path). */
export const basemapRoads = pgTable(
  "basemap_roads",
  {
    id: serial().primaryKey(),
    sourceKey: text().notNull(),
    kind: text().notNull(),
    rank: smallint().notNull(),
    name: text(),
    ref: text(),
    layer: smallint().notNull().default(0),
    bridge: boolean().notNull().default(false),
    tunnel: boolean().notNull().default(false),
    geom: geometry("geom", "LineString").notNull(),
    geom3857: geometry3857("LineString"),
  },
  (t) => [
    uniqueIndex("basemap_roads_source_key_key").on(t.sourceKey),
    index("basemap_roads_geom_gist").using("gist", t.geom),
  ],
);

/** Water, parks, landuse and other area features. `kind` is e.g. water, park, residential, commercial. */
export const basemapAreas = pgTable(
  "basemap_areas",
  {
    id: serial().primaryKey(),
    sourceKey: text().notNull(),
    kind: text().notNull(),
    name: text(),
    areaM2: doublePrecision("area_m2").notNull(),
    geom: geometry("geom", "MultiPolygon").notNull(),
    geom3857: geometry3857("MultiPolygon"),
  },
  (t) => [
    uniqueIndex("basemap_areas_source_key_key").on(t.sourceKey),
    index("basemap_areas_geom_gist").using("gist", t.geom),
  ],
);

/** Named points: places, POIs, transit stations. `rank` orders labels (lower shows first). */
export const basemapLabels = pgTable(
  "basemap_labels",
  {
    id: serial().primaryKey(),
    sourceKey: text().notNull(),
    kind: text().notNull(),
    name: text().notNull(),
    nameEn: text(),
    rank: smallint().notNull(),
    geom: geometry("geom", "Point").notNull(),
  },
  (t) => [
    uniqueIndex("basemap_labels_source_key_key").on(t.sourceKey),
    index("basemap_labels_geom_gist").using("gist", t.geom),
  ],
);

/** Walkable network vertices (OSM node ids). */
export const walkNodes = pgTable(
  "walk_nodes",
  {
    id: bigint({ mode: "number" }).primaryKey(),
    geom: geometry("geom", "Point").notNull(),
  },
  (t) => [index("walk_nodes_geom_gist").using("gist", t.geom)],
);

/** Walkable network edges between consecutive OSM way nodes, in pgRouting's source/target/cost shape. */
export const walkEdges = pgTable(
  "walk_edges",
  {
    id: serial().primaryKey(),
    osmWayId: bigint({ mode: "number" }).notNull(),
    seq: integer().notNull(),
    source: bigint({ mode: "number" }).notNull(),
    target: bigint({ mode: "number" }).notNull(),
    highway: text().notNull(),
    name: text(),
    lengthM: doublePrecision().notNull(),
    geom: geometry("geom", "LineString").notNull(),
  },
  (t) => [
    uniqueIndex("walk_edges_way_seq_key").on(t.osmWayId, t.seq),
    index("walk_edges_source_idx").on(t.source),
    index("walk_edges_target_idx").on(t.target),
    index("walk_edges_geom_gist").using("gist", t.geom),
  ],
);
