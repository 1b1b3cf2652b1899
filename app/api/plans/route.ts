import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { jsonNoStore, withPlanErrors } from "@/lib/plans/http";
import { listPlans } from "@/lib/plans/queries";

export const dynamic = "force-dynamic";

/** Every plan, drafts first, newest first (planner, admin). */
export async function GET() {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => jsonNoStore(await listPlans(db)));
}
