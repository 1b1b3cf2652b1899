import { db } from "@/db";
import { listAdminLabels } from "@/lib/features/queries";

export const dynamic = "force-dynamic";

/** GeoJSON label points of 街道 and 社区 (public, like the admin tiles). */
export async function GET() {
  return Response.json(await listAdminLabels(db), { headers: { "Cache-Control": "no-cache" } });
}
