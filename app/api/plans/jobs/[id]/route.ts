import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import type { ApiError } from "@/lib/plans/contract";
import { getJob } from "@/lib/plans/jobs";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/plans/jobs/{id} → PartitionJobView — planner or admin. A job whose worker died reads as failed. */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  const { id: raw } = await context.params;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) <= 0)
    return Response.json(
      { error: `invalid job id "${raw}": must be a positive integer`, code: "bad_input" } satisfies ApiError,
      {
        status: 400,
        headers: NO_STORE,
      },
    );
  const job = await getJob(db, Number(raw));
  if (!job)
    return Response.json({ error: `partition job ${raw} not found`, code: "not_found" } satisfies ApiError, {
      status: 404,
      headers: NO_STORE,
    });
  return Response.json(job, { headers: NO_STORE });
}
