import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import type { PlanEditResponse } from "@/lib/plans/contract";
import { UndoRedoRequestSchema, undoPlanEdit } from "@/lib/plans/edits";
import { jsonNoStore, parseIdParam, parseWith, readJsonBody, withPlanErrors } from "@/lib/plans/http";
import { getPlanDetail } from "@/lib/plans/queries";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * POST /api/plans/{id}/undo ({ version }) → PlanEditResponse — planner or admin. Undo of one edit of a draft; 409 when
 * there is nothing to undo (code nothing_to_undo), the version is stale or the plan is not a draft.
 */
export async function POST(request: Request, context: Context) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    const { version } = parseWith(UndoRedoRequestSchema, await readJsonBody(request));
    const outcome = await undoPlanEdit(db, planId, version, { userId: auth.user.id, role: auth.user.role });
    const body: PlanEditResponse = {
      plan: await getPlanDetail(db, planId),
      removedGridIds: outcome.removedGridIds,
      addedGridIds: outcome.addedGridIds,
    };
    return jsonNoStore(body);
  });
}
