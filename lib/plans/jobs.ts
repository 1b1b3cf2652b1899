/**
 * Automatic-partition jobs: the partition runs OFF the request thread, in a child process
 * (`node --import tsx scripts/partition-worker.ts <jobId>`), and reports its step and progress in `partition_jobs`.
 *
 * - `startPartitionJob` validates the request (zod), resolves communities given as ids or 12-digit codes, refuses a
 *   second job over any of the same communities while one is queued or running (409 `job_running`), inserts the job
 *   row (queued) and spawns the worker.
 * - The worker holds a session advisory lock on (JOB_LOCK_NS, jobId) for its whole life, and takes the one worker slot
 *   of the database (WORKER_SLOT_LOCK) before it starts: one partition at a time per database (the others wait queued,
 *   step `waiting`), so a burst of requests cannot starve the 2-core server.
 * - `getJob` marks a job failed on read when its worker died: queued/running with no live holder of its lock (after a
 *   start-up grace), or running with no statement from its worker's connections for more than 5 minutes (hung: its
 *   connections are terminated). The spawning process also marks the job failed when the worker exits ≠ 0 without
 *   having recorded an outcome.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/index";
import { pgArray } from "@/lib/grids/tessellate";
import { HOUSEHOLD_TARGET } from "@/lib/import/osm-rules";
import type { PartitionJobView } from "./contract";
import { PlanError } from "./errors";

/** Advisory-lock namespaces (first key; the second is the job id or 0). */
export const JOB_LOCK_NS = 0x57470001;
export const WORKER_SLOT_LOCK: readonly [number, number] = [0x57470002, 0];
const CREATE_LOCK: readonly [number, number] = [0x57470003, 0];
/** A queued job whose worker has not taken its lock after this long is considered dead. */
export const START_GRACE_S = 60;
/** A running job whose worker ran no statement for this long is considered hung. */
export const STALL_S = 5 * 60;
/** `application_name` of the worker's connections (so a hung worker can be found and stopped). */
export const workerApplicationName = (jobId: number) => `wangge-partition-job-${jobId}`;
/** Prefix of the error of a job that failed for an internal reason (else the message is about the input). */
export const INTERNAL_ERROR_PREFIX = "internal error: ";
export const WORKER_SCRIPT = path.join("scripts", "partition-worker.ts");

const int32 = z.number({ error: "must be a number" }).int("must be a whole number").min(-2147483648).max(2147483647);
const household = z
  .number({ error: "must be a number" })
  .int("must be a whole number of households")
  .min(1, "must be at least 1 household")
  .max(100_000, "must be at most 100000 households");

/** POST /api/plans/auto-partition body (lib/plans/contract.ts `AutoPartitionRequest`). */
export const AutoPartitionRequestSchema = z
  .object({
    communities: z
      .array(
        z.union([
          z
            .number()
            .int("a community id must be a whole number")
            .positive("a community id must be positive")
            .max(2147483647, "a community id is at most 2147483647"),
          z.string().regex(/^\d{12}$/, "a community code has 12 digits"),
        ]),
        { error: "communities must be a list of community ids or 12-digit codes" },
      )
      .min(1, "give at least one community")
      .max(1000, "at most 1000 communities per job"),
    target: household.optional(),
    targets: z.object({ old: household, new: household }).strict().optional(),
    seed: int32.optional(),
    name: z.string().trim().min(1, "name must not be empty").max(200, "name is too long (200 characters)").optional(),
    wait: z.boolean({ error: "wait must be true or false" }).optional(),
  })
  .strict();

/** What the worker reads from `partition_jobs.input`. */
export interface PartitionJobInput {
  communityIds: number[];
  targets: { old: number; new: number };
  seed: number;
  name?: string;
}

export const PartitionJobInputSchema = z.object({
  communityIds: z.array(z.number().int().positive()).min(1),
  targets: z.object({ old: household, new: household }),
  seed: int32,
  name: z.string().optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/** Parse and resolve a request body into the job input; unknown communities → bad_input naming them. */
export async function resolvePartitionRequest(
  db: Db,
  body: unknown,
): Promise<{ input: PartitionJobInput; wait: boolean }> {
  const parsed = AutoPartitionRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new PlanError("bad_input", `invalid auto-partition request: ${describeIssues(parsed.error)}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  const request = parsed.data;
  const ids = request.communities.filter((c): c is number => typeof c === "number");
  const codes = request.communities.filter((c): c is string => typeof c === "string");
  const found = (
    await db.execute(
      sql`SELECT id, code FROM admin_areas WHERE level = 'community'
            AND (id = ANY(${pgArray(ids)}::int[]) OR code = ANY(${pgArray(codes)}::text[]))`,
    )
  ).rows as Array<{ id: number; code: string }>;
  const byId = new Map(found.map((r) => [Number(r.id), Number(r.id)]));
  const byCode = new Map(found.map((r) => [r.code, Number(r.id)]));
  const unknown = request.communities.filter((c) => (typeof c === "number" ? !byId.has(c) : !byCode.has(c)));
  if (unknown.length > 0) throw new PlanError("bad_input", `unknown communities: ${unknown.join(", ")}`, { unknown });
  const communityIds = [
    ...new Set(request.communities.map((c) => (typeof c === "number" ? byId.get(c) : byCode.get(c)) as number)),
  ].sort((a, b) => a - b);
  const targets =
    request.targets ??
    (request.target !== undefined ? { old: request.target, new: request.target } : { ...HOUSEHOLD_TARGET });
  return {
    input: { communityIds, targets, seed: request.seed ?? 1, ...(request.name ? { name: request.name } : {}) },
    wait: request.wait ?? true,
  };
}

/** The project root (holding the worker script and tsx): WANGGE_ROOT, else the nearest ancestor of the cwd. */
export function projectRoot(): string {
  const candidates: string[] = [];
  if (process.env.WANGGE_ROOT) candidates.push(path.resolve(process.env.WANGGE_ROOT));
  let dir = process.cwd();
  for (;;) {
    candidates.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const root = candidates.find(
    (c) => existsSync(path.join(c, WORKER_SCRIPT)) && existsSync(path.join(c, "node_modules", "tsx", "package.json")),
  );
  if (!root)
    throw new Error(
      `cannot find ${WORKER_SCRIPT} with node_modules/tsx above ${process.cwd()}: start the server from the project root or set WANGGE_ROOT`,
    );
  return root;
}

export interface StartJobOptions {
  /** Database the worker connects to (default: DATABASE_URL of this process). */
  databaseUrl?: string;
  /** Called when the worker exits (tests). */
  onExit?: (code: number | null) => void;
}

/** Mark a job failed unless it already has an outcome (returns whether it did). */
export async function failJob(db: Db, jobId: number, message: string): Promise<boolean> {
  const r = await db.execute(
    sql`UPDATE partition_jobs SET status = 'failed', error = ${message}, finished_at = clock_timestamp()
        WHERE id = ${jobId} AND status IN ('queued', 'running')`,
  );
  return (r.rowCount ?? 0) > 0;
}

/** Spawn the worker for a job: `node --import tsx scripts/partition-worker.ts <jobId>` from the project root. */
export function spawnWorker(db: Db, jobId: number, options: StartJobOptions = {}): ChildProcess {
  const root = projectRoot();
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  const env: NodeJS.ProcessEnv = { ...process.env, WANGGE_ROOT: root };
  if (url) env.DATABASE_URL = url;
  // the parent's loader flags (a tsx- or Next-specific --require) must not leak into the worker
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT, String(jobId)], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "pipe"],
    windowsHide: true,
  });
  let tail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
    process.stderr.write(chunk.replace(/^(?=.)/gm, `[partition-worker ${jobId}] `));
  });
  const finish = (code: number | null, reason: string) => {
    const done = () => options.onExit?.(code);
    if (code === 0) {
      done();
      return;
    }
    const last = tail.trim().split("\n").slice(-3).join(" | ");
    failJob(db, jobId, `${INTERNAL_ERROR_PREFIX}the partition worker ${reason}${last ? `: ${last}` : ""}`)
      .catch((error: unknown) => console.error(`[partition-jobs] cannot mark job ${jobId} failed:`, error))
      .finally(done);
  };
  child.on("error", (error) => finish(-1, `could not start (${error.message})`));
  child.on("exit", (code, signal) =>
    finish(code ?? -1, signal ? `was killed by ${signal}` : `exited with code ${code}`),
  );
  return child;
}

/**
 * Validate the request, insert a queued job and start its worker. Throws PlanError bad_input (nothing written, no
 * process started) or job_running (409) when a job over any of the same communities is still queued or running.
 */
export async function startPartitionJob(
  db: Db,
  body: unknown,
  userId: number | null,
  options: StartJobOptions = {},
): Promise<{ jobId: number; wait: boolean; input: PartitionJobInput }> {
  const { input, wait } = await resolvePartitionRequest(db, body);
  projectRoot(); // fail before writing anything when the worker cannot be found
  const jobId = await db.transaction(async (tx) => {
    const t = tx as unknown as Db; // safe: a drizzle transaction exposes the query API of the database handle
    await t.execute(sql`SELECT pg_advisory_xact_lock(${CREATE_LOCK[0]}::int, ${CREATE_LOCK[1]}::int)`);
    const open = (
      await t.execute(
        sql`SELECT id, status FROM partition_jobs WHERE status IN ('queued', 'running')
              AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(input->'communityIds') e
                          WHERE e::int = ANY(${pgArray(input.communityIds)}::int[]))
            ORDER BY id`,
      )
    ).rows as Array<{ id: number; status: string }>;
    // a job whose worker died must not block new ones: check liveness first
    for (const job of open) {
      const view = await getJob(t, Number(job.id));
      if (view && (view.status === "queued" || view.status === "running"))
        throw new PlanError(
          "job_running",
          `partition job ${view.id} over some of these communities is still ${view.status}; wait for it (GET /api/plans/jobs/${view.id})`,
          { jobId: view.id },
        );
    }
    const inserted = await t.execute(
      sql`INSERT INTO partition_jobs (status, input, created_by)
          VALUES ('queued', ${JSON.stringify(input)}::jsonb, ${userId}) RETURNING id`,
    );
    return Number((inserted.rows[0] as { id: number }).id);
  });
  try {
    spawnWorker(db, jobId, options);
  } catch (error) {
    await failJob(db, jobId, `${INTERNAL_ERROR_PREFIX}${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  return { jobId, wait, input };
}

interface JobRow {
  id: number;
  status: PartitionJobView["status"];
  step: string | null;
  progress: number;
  plan_id: number | null;
  error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  alive: boolean;
  past_grace: boolean;
  stalled: boolean;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toView(row: JobRow): PartitionJobView {
  return {
    id: Number(row.id),
    status: row.status,
    step: row.step,
    progress: Number(row.progress),
    planId: row.plan_id === null ? null : Number(row.plan_id),
    error: row.error,
    createdAt: iso(row.created_at) as string,
    finishedAt: iso(row.finished_at),
  };
}

/** The job as the API shows it; a job whose worker died or hung is marked failed first. Null when unknown. */
export async function getJob(db: Db, jobId: number): Promise<PartitionJobView | null> {
  const read = async () =>
    (
      await db.execute(sql`
        SELECT j.id, j.status, j.step, j.progress, j.plan_id, j.error, j.created_at, j.finished_at,
               EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
                         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                         AND l.classid = ${JOB_LOCK_NS}::int::oid AND l.objid = j.id::oid AND l.objsubid = 2) AS alive,
               j.created_at < now() - make_interval(secs => ${START_GRACE_S}) AS past_grace,
               coalesce((SELECT max(greatest(a.query_start, a.state_change, a.backend_start)) FROM pg_stat_activity a
                         WHERE a.application_name = ${workerApplicationName(jobId)}), j.started_at, j.created_at)
                 < now() - make_interval(secs => ${STALL_S}) AS stalled
        FROM partition_jobs j WHERE j.id = ${jobId}`)
    ).rows[0] as JobRow | undefined;
  const row = await read();
  if (!row) return null;
  if (row.status === "done" || row.status === "failed") return toView(row);
  if (!row.alive && (row.status === "running" || row.past_grace)) {
    await failJob(
      db,
      jobId,
      `${INTERNAL_ERROR_PREFIX}the partition worker stopped without finishing (step ${row.step})`,
    );
    return toView((await read()) as JobRow);
  }
  if (row.status === "running" && row.stalled) {
    if (
      await failJob(
        db,
        jobId,
        `${INTERNAL_ERROR_PREFIX}the partition worker made no progress for ${STALL_S / 60} minutes (step ${row.step})`,
      )
    )
      await db.execute(
        sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${workerApplicationName(jobId)}`,
      );
    return toView((await read()) as JobRow);
  }
  return toView(row);
}

/** Poll the job until it is done or failed, or `timeoutMs` passes; returns the last view (null: unknown job). */
export async function waitForJob(
  db: Db,
  jobId: number,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<PartitionJobView | null> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const pollMs = options.pollMs ?? 250;
  for (;;) {
    const view = await getJob(db, jobId);
    if (!view || view.status === "done" || view.status === "failed" || Date.now() >= deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
