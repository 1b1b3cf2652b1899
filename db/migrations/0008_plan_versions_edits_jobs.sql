CREATE TYPE "public"."partition_job_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "partition_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"status" "partition_job_status" DEFAULT 'queued' NOT NULL,
	"input" jsonb NOT NULL,
	"step" text,
	"progress" double precision DEFAULT 0 NOT NULL,
	"plan_id" integer,
	"error" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_edits" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"version" integer NOT NULL,
	"op" text NOT NULL,
	"params" jsonb NOT NULL,
	"removed" jsonb NOT NULL,
	"added" jsonb NOT NULL,
	"undone" boolean DEFAULT false NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "community_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "targets" jsonb;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "seed" integer;--> statement-breakpoint
ALTER TABLE "partition_jobs" ADD CONSTRAINT "partition_jobs_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partition_jobs" ADD CONSTRAINT "partition_jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_edits" ADD CONSTRAINT "plan_edits_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_edits" ADD CONSTRAINT "plan_edits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_edits_plan_idx" ON "plan_edits" USING btree ("plan_id","id");--> statement-breakpoint
UPDATE "plans" p SET "community_ids" = coalesce((SELECT array_agg(DISTINCT g.community_id ORDER BY g.community_id) FROM "grids" g WHERE g.plan_id = p.id), '{}'::integer[]);
