import "server-only";
import { db } from "@/db";
import type { Db } from "@/db/index";
import { requireApiRole } from "@/lib/auth/require-role";
import type { PlanEditResponse } from "./contract";
import type { EditActor, EditOutcome } from "./edits";
import { jsonNoStore, parseIdParam, readJsonBody, withPlanErrors } from "./http";
import { getPlanDetail } from "./queries";

type Context = { params: Promise<{ id: string }> };

/**
 * The POST handler shared by /api/plans/{id}/edits, /undo and /redo: planner or admin; the body parsed by `parse`
 * (400 naming the field), the change run by `run` in its own transaction (404 / 409 / 422 from PlanError), and the
 * answer a PlanEditResponse with the refreshed plan detail.
 */
export function planEditRoute<T>(
  parse: (body: unknown) => T,
  run: (database: Db, planId: number, input: T, actor: EditActor) => Promise<EditOutcome>,
) {
  return async function handleEdit(request: Request, context: Context): Promise<Response> {
    const auth = await requireApiRole("planner", "admin");
    if (!auth.ok) return auth.response;
    return withPlanErrors(async () => {
      const { id } = await context.params;
      const planId = parseIdParam(id);
      const input = parse(await readJsonBody(request));
      const outcome = await run(db, planId, input, { userId: auth.user.id, role: auth.user.role });
      const body: PlanEditResponse = {
        plan: await getPlanDetail(db, planId),
        removedGridIds: outcome.removedGridIds,
        addedGridIds: outcome.addedGridIds,
      };
      return jsonNoStore(body);
    });
  };
}
