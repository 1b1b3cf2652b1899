import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { jsonNoStore, parseIdParam, withPlanErrors } from "@/lib/plans/http";
import { deleteDraftPlan } from "@/lib/plans/publish";
import { getPlanDetail } from "@/lib/plans/queries";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** The plan with per-grid statistics, validation and totals (planner, admin). */
export async function GET(_request: Request, context: Context) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    return jsonNoStore(await getPlanDetail(db, parseIdParam(id)));
  });
}

/** Delete a draft (an active or archived plan → 409 not_draft); audited (planner, admin). */
export async function DELETE(_request: Request, context: Context) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    await deleteDraftPlan(db, planId, { userId: auth.user.id });
    return jsonNoStore({ planId, deleted: true });
  });
}
