CREATE TABLE "grid_totals" (
	"grid_id" integer PRIMARY KEY NOT NULL,
	"households" bigint DEFAULT 0 NOT NULL,
	"building_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grid_totals" ADD CONSTRAINT "grid_totals_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE cascade ON UPDATE no action;