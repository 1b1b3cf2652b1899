ALTER TABLE "basemap_areas" RENAME COLUMN "area_m_2" TO "area_m2";--> statement-breakpoint
ALTER TABLE "buildings" RENAME COLUMN "area_m_2" TO "area_m2";