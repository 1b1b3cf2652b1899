import { planEditRoute } from "@/lib/plans/edit-route";
import { redoPlanEdit, UndoRedoRequestSchema } from "@/lib/plans/edits";
import { parseWith } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/**
 * POST /api/plans/{id}/redo ({ version }) → PlanEditResponse — planner or admin. Redo of one edit of a draft; 409 when
 * there is nothing to redo (code nothing_to_redo), the version is stale or the plan is not a draft.
 */
export const POST = planEditRoute(
  (body) => parseWith(UndoRedoRequestSchema, body).version,
  (database, planId, version, actor) => redoPlanEdit(database, planId, version, actor),
);
