import { type AnyPgColumn, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, geometry, updatedAt } from "./columns";

/** 市 → 区 → 街道 → 社区. */
export const adminLevel = pgEnum("admin_level", ["city", "district", "street", "community"]);
/** Where a boundary comes from: an official delivery, or derived by the documented demo rules. */
export const boundarySource = pgEnum("boundary_source", ["official", "derived"]);

export const adminAreas = pgTable(
  "admin_areas",
  {
    id: serial().primaryKey(),
    level: adminLevel().notNull(),
    /** 12-digit statistical division code, shortened per level: 市 320100, 区 320102, 街道 320102001, 社区 320102001001. */
    code: text().notNull(),
    name: text().notNull(),
    parentId: integer().references((): AnyPgColumn => adminAreas.id, { onDelete: "restrict" }),
    source: boundarySource().notNull(),
    /** Estate kind of a community's housing stock: decides its default household target (老旧小区 200, 新建小区 500). */
    estateKind: text({ enum: ["old", "new", "mixed"] }),
    geom: geometry("geom", "MultiPolygon").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("admin_areas_code_key").on(t.code),
    index("admin_areas_parent_idx").on(t.parentId),
    index("admin_areas_geom_gist").using("gist", t.geom),
    index("admin_areas_level_idx").on(t.level),
  ],
);

export type AdminArea = typeof adminAreas.$inferSelect;
