import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { serverEnv } from "@/lib/env";
import type { ApiError } from "@/lib/plans/contract";
import { planErrorResponse } from "@/lib/plans/errors";
import { INTERNAL_ERROR_PREFIX, startPartitionJob, waitForJob } from "@/lib/plans/jobs";

export const dynamic = "force-dynamic";

/** How long a waiting request stays open before it answers 202 with the job id (the UI then polls the job). */
const WAIT_MS = 120_000;
const NO_STORE = { "Cache-Control": "no-store" };

/**
 * POST /api/plans/auto-partition (AutoPartitionRequest) — planner or admin. The partition runs in a worker process;
 * `wait: false` → 202 { jobId } at once; otherwise 201 { planId, jobId } when done, 202 { jobId } after 120 s, and the
 * job's error (400 for an input problem, 500 for an internal one) when it failed.
 */
export async function POST(request: Request) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      { error: "the body must be JSON (AutoPartitionRequest)", code: "bad_input" } satisfies ApiError,
      {
        status: 400,
        headers: NO_STORE,
      },
    );
  }
  try {
    const { jobId, wait } = await startPartitionJob(db, body, auth.user.id, {
      databaseUrl: serverEnv().DATABASE_URL,
    });
    if (!wait) return Response.json({ jobId }, { status: 202, headers: NO_STORE });
    const job = await waitForJob(db, jobId, { timeoutMs: WAIT_MS });
    if (job?.status === "done" && job.planId !== null)
      return Response.json({ planId: job.planId, jobId }, { status: 201, headers: NO_STORE });
    if (job?.status === "failed") {
      const internal = (job.error ?? "").startsWith(INTERNAL_ERROR_PREFIX);
      const answer: ApiError = {
        error: job.error ?? "the partition failed",
        details: { jobId },
        ...(internal ? {} : { code: "bad_input" as const }),
      };
      return Response.json(answer, { status: internal ? 500 : 400, headers: NO_STORE });
    }
    return Response.json({ jobId }, { status: 202, headers: NO_STORE });
  } catch (error) {
    return planErrorResponse(error);
  }
}
