import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { getCommunityFeature } from "@/lib/plans/communities";
import { jsonNoStore, withPlanErrors } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/** One community's boundary as a GeoJSON Feature; `{id}` is the row id or the 12-digit code (planner, admin). */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    return jsonNoStore(await getCommunityFeature(db, id));
  });
}
