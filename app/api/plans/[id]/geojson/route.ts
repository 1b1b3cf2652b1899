import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { getPlanGeoJson } from "@/lib/plans/geojson";
import { parseIdParam, withPlanErrors } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/** The plan's grids as a GeoJSON download (EPSG:4326) with code, households, target, deviation, buildings. */
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    const collection = await getPlanGeoJson(db, planId);
    return new Response(JSON.stringify(collection), {
      headers: {
        "Content-Type": "application/geo+json; charset=utf-8",
        "Content-Disposition": `attachment; filename="plan-${planId}.geojson"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
