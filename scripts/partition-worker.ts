/**
 * One automatic-partition job, run off the server's request thread: `node --import tsx scripts/partition-worker.ts <jobId>`
 * (spawned by lib/plans/jobs.ts with DATABASE_URL). Holds the job's advisory lock for its whole life (its liveness),
 * waits for the database's one worker slot, marks the job running, runs createDraftPlan while writing step/progress in
 * separate autocommitted statements (throttled), and in the plan's own transaction writes the audit row and marks the
 * job done with its plan. On error: failed + message (input errors verbatim, others prefixed "internal error: ").
 * Exit code 0 when done, 1 when failed, 2 on a bad argument.
 */
import { sql } from "drizzle-orm";
import { Client } from "pg";
import { createDb, databaseUrl } from "@/db/client";
import { createDraftPlan, PartitionInputError } from "@/lib/grids/create-draft-plan";
import {
  failJob,
  INTERNAL_ERROR_PREFIX,
  JOB_LOCK_NS,
  PartitionJobInputSchema,
  WORKER_SLOT_LOCK,
  workerApplicationName,
} from "@/lib/plans/jobs";

/** Minimum time between two progress writes (a change of phase is always written). */
const PROGRESS_EVERY_MS = 200;

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", name);
  return parsed.toString();
}

async function main(): Promise<number> {
  const raw = process.argv[2] ?? "";
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    console.error(`usage: partition-worker <jobId> (a positive whole number, got "${raw}")`);
    return 2;
  }
  const jobId = Number(raw);
  const url = withApplicationName(databaseUrl(), workerApplicationName(jobId));
  const lock = new Client({ connectionString: url });
  await lock.connect();
  const { db, pool } = createDb(url);
  try {
    const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::int, $2::int) AS ok", [
      JOB_LOCK_NS,
      jobId,
    ]);
    if (!got.rows[0]?.ok) {
      console.error(`job ${jobId} already has a worker`);
      return 0;
    }
    const row = await lock.query<{ status: string; input: unknown; created_by: number | null }>(
      "SELECT status, input, created_by FROM partition_jobs WHERE id = $1",
      [jobId],
    );
    const job = row.rows[0];
    if (!job) {
      console.error(`no partition job ${jobId}`);
      return 2;
    }
    if (job.status !== "queued") return 0; // already handled (or reaped)
    const parsed = PartitionJobInputSchema.safeParse(job.input);
    if (!parsed.success) {
      await failJob(db, jobId, `${INTERNAL_ERROR_PREFIX}the stored job input is invalid: ${parsed.error.message}`);
      return 1;
    }
    const input = parsed.data;

    // one partition at a time per database: wait for the worker slot (the job stays queued meanwhile)
    await lock.query("UPDATE partition_jobs SET step = 'waiting' WHERE id = $1 AND status = 'queued'", [jobId]);
    await lock.query("SELECT pg_advisory_lock($1::int, $2::int)", [WORKER_SLOT_LOCK[0], WORKER_SLOT_LOCK[1]]);
    const started = await lock.query(
      "UPDATE partition_jobs SET status = 'running', step = 'start', progress = 0, started_at = clock_timestamp() WHERE id = $1 AND status = 'queued'",
      [jobId],
    );
    if (!started.rowCount) return 0; // reaped while waiting

    let finishing = false;
    let lastWrite = 0;
    let lastPhase = "";
    const onProgress = async (step: string, progress: number): Promise<void> => {
      // the job row is locked by the plan's transaction once it is marked done there: no write may wait on it
      if (finishing) return;
      const phase = step.split(":")[0] ?? step;
      const now = performance.now();
      if (phase === lastPhase && now - lastWrite < PROGRESS_EVERY_MS) return;
      lastPhase = phase;
      lastWrite = now;
      await lock.query(
        "UPDATE partition_jobs SET step = $2, progress = greatest(progress, $3) WHERE id = $1 AND status = 'running'",
        [jobId, step, progress],
      );
    };
    try {
      const plan = await createDraftPlan(db, {
        communityIds: input.communityIds,
        targets: input.targets,
        seed: input.seed,
        name: input.name,
        createdBy: job.created_by,
        onProgress,
        onCreated: async (tx, planId) => {
          finishing = true;
          await tx.execute(sql`
            INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, detail)
            VALUES (${job.created_by}, coalesce((SELECT role::text FROM users WHERE id = ${job.created_by}), 'system:partition'),
                    'plan.auto_partition', 'plans', ${String(planId)},
                    ${JSON.stringify({ jobId, ...input })}::jsonb)`);
          const marked = await tx.execute(sql`
            UPDATE partition_jobs SET status = 'done', plan_id = ${planId}, step = 'done', progress = 1, finished_at = clock_timestamp()
            WHERE id = ${jobId} AND status = 'running'`);
          // reaped meanwhile (e.g. judged hung): roll the plan back rather than leave a draft nobody is told about
          if (!marked.rowCount) throw new Error(`job ${jobId} was marked failed while it ran`);
        },
      });
      console.error(`job ${jobId}: draft plan ${plan.planId}`);
      return 0;
    } catch (error) {
      const message =
        error instanceof PartitionInputError
          ? error.message
          : `${INTERNAL_ERROR_PREFIX}${error instanceof Error ? error.message : String(error)}`;
      if (!(error instanceof PartitionInputError)) console.error(error);
      await failJob(db, jobId, message);
      return 1;
    }
  } finally {
    await pool.end();
    await lock.end(); // releases the advisory locks
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
