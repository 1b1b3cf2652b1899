import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { getBuildingDetails } from "@/lib/features/queries";
import { type FeatureRouteContext, respondWithFeature } from "@/lib/features/respond";

export const dynamic = "force-dynamic";

/** Building details for the map's inspection panel: any signed-in role (like the buildings tiles). */
export async function GET(_request: Request, context: FeatureRouteContext) {
  const auth = await requireApiRole();
  if (!auth.ok) return auth.response;
  return respondWithFeature(context, "building", (id) => getBuildingDetails(db, id));
}
