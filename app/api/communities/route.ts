import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { listCommunities } from "@/lib/plans/communities";
import { jsonNoStore, withPlanErrors } from "@/lib/plans/http";

export const dynamic = "force-dynamic";

/** Every community with households, buildings and active grids (planner, admin). */
export async function GET() {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => jsonNoStore(await listCommunities(db)));
}
