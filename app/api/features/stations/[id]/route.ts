import { db } from "@/db";
import { getStationDetails } from "@/lib/features/queries";
import { type FeatureRouteContext, respondWithFeature } from "@/lib/features/respond";

export const dynamic = "force-dynamic";

/** Station details: public, residents open them from the resident page without signing in. */
export async function GET(_request: Request, context: FeatureRouteContext) {
  return respondWithFeature(context, "station", (id) => getStationDetails(db, id));
}
