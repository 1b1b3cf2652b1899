import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { getGridsOnDate } from "@/lib/plans/history";
import { jsonNoStore, queryParam, withPlanErrors } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/** GET ?date=YYYY-MM-DD[&community=code] → the grids in force at the end of that day (any signed-in role). */
export async function GET(request: Request) {
  const auth = await requireApiRole();
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const params = new URL(request.url).searchParams;
    return jsonNoStore(await getGridsOnDate(db, queryParam(params, "date") ?? "", queryParam(params, "community")));
  });
}
