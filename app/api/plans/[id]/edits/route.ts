import { planEditRoute } from "@/lib/plans/edit-route";
import { applyPlanEdit, PlanEditRequestSchema } from "@/lib/plans/edits";
import { parseWith } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/**
 * POST /api/plans/{id}/edits (PlanEditRequest) → PlanEditResponse — planner or admin. One hand edit of a draft:
 * 400 bad input (naming the field), 404 unknown plan/grid, 409 not a draft / stale version, 422 the edit would break
 * an invariant (nothing is written then).
 */
export const POST = planEditRoute((body) => parseWith(PlanEditRequestSchema, body, "edit"), applyPlanEdit);
