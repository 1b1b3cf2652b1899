import { customType, timestamp } from "drizzle-orm/pg-core";

export type GeometryKind = "Point" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon";

/**
 * A PostGIS geometry column in EPSG:4326. Values travel as hex EWKB; read them with
 * `ST_AsGeoJSON(col)::json` and write with `ST_GeomFromGeoJSON(...)` in explicit SQL.
 */
export const geometry = (name: string, kind: GeometryKind) =>
  customType<{ data: string; driverData: string }>({
    dataType() {
      return `geometry(${kind},4326)`;
    },
  })(name);

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
