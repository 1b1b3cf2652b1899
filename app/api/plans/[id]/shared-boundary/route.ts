import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { jsonNoStore, parseIdParam, queryParam, withPlanErrors } from "@/lib/plans/http";
import { getSharedBoundary } from "@/lib/plans/shared-boundary";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/**
 * GET /api/plans/{id}/shared-boundary?a=&b= → SharedBoundary — planner or admin. 400 bad ids, 404 a grid not in the
 * plan, 422 when the two grids share no boundary or it is not one line.
 */
export async function GET(request: Request, context: Context) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    const query = new URL(request.url).searchParams;
    const a = parseIdParam(queryParam(query, "a") ?? "", "grid (query a)");
    const b = parseIdParam(queryParam(query, "b") ?? "", "grid (query b)");
    return jsonNoStore(await getSharedBoundary(db, planId, a, b));
  });
}
