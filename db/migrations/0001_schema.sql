CREATE TYPE "public"."admin_level" AS ENUM('city', 'district', 'street', 'community');--> statement-breakpoint
CREATE TYPE "public"."boundary_source" AS ENUM('official', 'derived');--> statement-breakpoint
CREATE TYPE "public"."households_source" AS ENUM('estimated', 'surveyed');--> statement-breakpoint
CREATE TYPE "public"."levels_source" AS ENUM('tagged', 'height', 'default');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('received', 'rejected', 'registered', 'dispatched', 'accepted', 'in_progress', 'resolved', 'verified', 'rated', 'closed');--> statement-breakpoint
CREATE TYPE "public"."estate_kind" AS ENUM('old', 'new');--> statement-breakpoint
CREATE TYPE "public"."plan_status" AS ENUM('draft', 'active', 'archived');--> statement-breakpoint
CREATE TYPE "public"."station_kind" AS ENUM('party_center', 'party_station', 'convenience_station', 'government_center');--> statement-breakpoint
CREATE TYPE "public"."station_status" AS ENUM('active', 'draft', 'closed');--> statement-breakpoint
CREATE TYPE "public"."party_org_kind" AS ENUM('grid_branch', 'party_group', 'member_household');--> statement-breakpoint
CREATE TYPE "public"."specialty" AS ENUM('party_building', 'dispute_mediation', 'livelihood', 'public_security', 'urban_property', 'law_enforcement');--> statement-breakpoint
CREATE TYPE "public"."team_role" AS ENUM('grid_leader', 'grid_instructor', 'grid_worker', 'resident_worker', 'part_time_worker');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'planner', 'commander', 'worker');--> statement-breakpoint
CREATE TABLE "admin_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"level" "admin_level" NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"source" "boundary_source" NOT NULL,
	"estate_kind" text,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "basemap_areas" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"area_m_2" double precision NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "basemap_labels" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"rank" smallint NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "basemap_roads" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"kind" text NOT NULL,
	"rank" smallint NOT NULL,
	"name" text,
	"ref" text,
	"layer" smallint DEFAULT 0 NOT NULL,
	"bridge" boolean DEFAULT false NOT NULL,
	"tunnel" boolean DEFAULT false NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "walk_edges" (
	"id" serial PRIMARY KEY NOT NULL,
	"osm_way_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"source" bigint NOT NULL,
	"target" bigint NOT NULL,
	"highway" text NOT NULL,
	"name" text,
	"length_m" double precision NOT NULL,
	"geom" geometry(LineString,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "walk_nodes" (
	"id" bigint PRIMARY KEY NOT NULL,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"name" text,
	"address" text,
	"building_type" text DEFAULT 'yes' NOT NULL,
	"levels" integer NOT NULL,
	"levels_source" "levels_source" NOT NULL,
	"height_m" double precision,
	"residential" boolean NOT NULL,
	"area_m_2" double precision NOT NULL,
	"households_estimated" integer DEFAULT 0 NOT NULL,
	"households_surveyed" integer,
	"households_source" "households_source" DEFAULT 'estimated' NOT NULL,
	"households" integer GENERATED ALWAYS AS (CASE WHEN households_source = 'surveyed' AND households_surveyed IS NOT NULL THEN households_surveyed ELSE households_estimated END) STORED NOT NULL,
	"grid_id" integer,
	"community_id" integer,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buildings_levels_positive" CHECK ("buildings"."levels" > 0),
	CONSTRAINT "buildings_households_nonnegative" CHECK ("buildings"."households_estimated" >= 0 AND coalesce("buildings"."households_surveyed", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"actor_user_id" integer,
	"actor_role" text NOT NULL,
	"from_status" "case_status",
	"to_status" "case_status" NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"tracking_code" text NOT NULL,
	"category_code" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" "case_status" DEFAULT 'received' NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"grid_id" integer,
	"community_id" integer,
	"reporter_phone" text,
	"due_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_version_positive" CHECK ("cases"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"community_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"estate_kind" "estate_kind" NOT NULL,
	"household_target" integer NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grids_code_format" CHECK ("grids"."code" ~ '^[0-9]{16}$'),
	CONSTRAINT "grids_household_target_positive" CHECK ("grids"."household_target" > 0)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" "plan_status" DEFAULT 'draft' NOT NULL,
	"note" text,
	"created_by" integer,
	"published_by" integer,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_stations" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"name" text NOT NULL,
	"kind" "station_kind" NOT NULL,
	"status" "station_status" DEFAULT 'active' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"services" text[] DEFAULT '{}' NOT NULL,
	"opening_hours" text,
	"phone" text,
	"address" text,
	"community_id" integer,
	"location" geometry(Point,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"team_role" "team_role" NOT NULL,
	"specialty" "specialty" NOT NULL,
	"grid_id" integer,
	"user_id" integer,
	"on_duty" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_organizations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "party_org_kind" NOT NULL,
	"grid_id" integer,
	"parent_id" integer,
	"building_id" integer,
	"member_count" integer DEFAULT 0 NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" integer,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "admin_areas" ADD CONSTRAINT "admin_areas_parent_id_admin_areas_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."admin_areas"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_community_id_admin_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."admin_areas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_community_id_admin_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."admin_areas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_community_id_admin_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."admin_areas"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grids" ADD CONSTRAINT "grids_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_stations" ADD CONSTRAINT "service_stations_community_id_admin_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."admin_areas"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_members" ADD CONSTRAINT "grid_members_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_members" ADD CONSTRAINT "grid_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_organizations" ADD CONSTRAINT "party_organizations_grid_id_grids_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grids"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_organizations" ADD CONSTRAINT "party_organizations_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_areas_code_key" ON "admin_areas" USING btree ("code");--> statement-breakpoint
CREATE INDEX "admin_areas_parent_idx" ON "admin_areas" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "admin_areas_geom_gist" ON "admin_areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "admin_areas_level_idx" ON "admin_areas" USING btree ("level");--> statement-breakpoint
CREATE UNIQUE INDEX "basemap_areas_source_key_key" ON "basemap_areas" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "basemap_areas_geom_gist" ON "basemap_areas" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "basemap_labels_source_key_key" ON "basemap_labels" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "basemap_labels_geom_gist" ON "basemap_labels" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "basemap_roads_source_key_key" ON "basemap_roads" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "basemap_roads_geom_gist" ON "basemap_roads" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "walk_edges_way_seq_key" ON "walk_edges" USING btree ("osm_way_id","seq");--> statement-breakpoint
CREATE INDEX "walk_edges_source_idx" ON "walk_edges" USING btree ("source");--> statement-breakpoint
CREATE INDEX "walk_edges_target_idx" ON "walk_edges" USING btree ("target");--> statement-breakpoint
CREATE INDEX "walk_edges_geom_gist" ON "walk_edges" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "walk_nodes_geom_gist" ON "walk_nodes" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_source_key_key" ON "buildings" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "buildings_grid_idx" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "buildings_community_idx" ON "buildings" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "buildings_geom_gist" ON "buildings" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_tracking_code_key" ON "cases" USING btree ("tracking_code");--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_grid_idx" ON "cases" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "cases_location_gist" ON "cases" USING gist ("location");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_plan_code_key" ON "grids" USING btree ("plan_id","code");--> statement-breakpoint
CREATE INDEX "grids_community_idx" ON "grids" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "grids_geom_gist" ON "grids" USING gist ("geom");--> statement-breakpoint
CREATE UNIQUE INDEX "service_stations_source_key_key" ON "service_stations" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "service_stations_community_idx" ON "service_stations" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "service_stations_location_gist" ON "service_stations" USING gist ("location");--> statement-breakpoint
CREATE INDEX "grid_members_grid_idx" ON "grid_members" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "party_organizations_grid_idx" ON "party_organizations" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");