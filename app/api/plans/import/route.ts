import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { importPlanGeoJson, MAX_IMPORT_BYTES } from "@/lib/plans/geojson";
import { jsonNoStore, readJsonBody, withPlanErrors } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/**
 * Import a plan: body `{ name?, featureCollection }` or the FeatureCollection itself (≤ 5 MB, else 413) → 201
 * `{ planId, grids }` as a new draft; 400 naming the feature when a check fails (planner, admin).
 */
export async function POST(request: Request) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const body = await readJsonBody(request, MAX_IMPORT_BYTES);
    const result = await importPlanGeoJson(db, body, { userId: auth.user.id });
    return jsonNoStore(result, 201);
  });
}
