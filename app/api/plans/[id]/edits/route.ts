import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import type { PlanEditResponse } from "@/lib/plans/contract";
import { applyPlanEdit, PlanEditRequestSchema } from "@/lib/plans/edits";
import { jsonNoStore, parseIdParam, parseWith, readJsonBody, withPlanErrors } from "@/lib/plans/http";
import { getPlanDetail } from "@/lib/plans/queries";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/plans/{id}/edits (PlanEditRequest) → PlanEditResponse — planner or admin. One hand edit of a draft:
 * 400 bad input (naming the field), 404 unknown plan/grid, 409 not a draft / stale version, 422 the edit would break
 * an invariant (nothing is written then).
 */
export async function POST(request: Request, context: Context) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    const edit = parseWith(PlanEditRequestSchema, await readJsonBody(request), "edit");
    const outcome = await applyPlanEdit(db, planId, edit, { userId: auth.user.id, role: auth.user.role });
    const body: PlanEditResponse = {
      plan: await getPlanDetail(db, planId),
      removedGridIds: outcome.removedGridIds,
      addedGridIds: outcome.addedGridIds,
    };
    return jsonNoStore(body);
  });
}
