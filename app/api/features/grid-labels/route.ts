import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { listGridLabels } from "@/lib/features/queries";

export const dynamic = "force-dynamic";

/** GeoJSON label points of the active grids: any signed-in role (like the grids tiles). */
export async function GET() {
  const auth = await requireApiRole();
  if (!auth.ok) return auth.response;
  return Response.json(await listGridLabels(db), { headers: { "Cache-Control": "no-cache" } });
}
