import { planEditRoute } from "@/lib/plans/edit-route";
import { UndoRedoRequestSchema, undoPlanEdit } from "@/lib/plans/edits";
import { parseWith } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/**
 * POST /api/plans/{id}/undo ({ version }) → PlanEditResponse — planner or admin. Undo of one edit of a draft; 409 when
 * there is nothing to undo (code nothing_to_undo), the version is stale or the plan is not a draft.
 */
export const POST = planEditRoute(
  (body) => parseWith(UndoRedoRequestSchema, body).version,
  (database, planId, version, actor) => undoPlanEdit(database, planId, version, actor),
);
