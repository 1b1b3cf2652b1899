import { sql } from "drizzle-orm";
import { customType, timestamp } from "drizzle-orm/pg-core";

export type GeometryKind = "Point" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon";

/**
 * A PostGIS geometry column in EPSG:4326 (or `srid`). Values travel as hex EWKB; read them with
 * `ST_AsGeoJSON(col)::json` and write with `ST_GeomFromGeoJSON(...)` in explicit SQL.
 */
export const geometry = (name: string, kind: GeometryKind, srid = 4326) =>
  customType<{ data: string; driverData: string }>({
    dataType() {
      return `geometry(${kind},${srid})`;
    },
  })(name);

/**
 * The 4326 `geom` column projected to web mercator once, on write (a stored generated column; ST_Transform is
 * IMMUTABLE), so tiles skip a per-feature ST_Transform.
 */
export const geometry3857 = (kind: GeometryKind) =>
  geometry("geom_3857", kind, 3857).generatedAlwaysAs(sql`ST_Transform(geom, 3857)`);

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
