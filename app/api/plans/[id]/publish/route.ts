import { z } from "zod";
import { db } from "@/db";
import { requireApiRole } from "@/lib/auth/require-role";
import { jsonNoStore, parseIdParam, parseWith, readJsonBody, withPlanErrors } from "@/lib/plans/http";
import { publishPlan } from "@/lib/plans/publish";

export const dynamic = "force-dynamic";

const PublishBody = z.object({ version: z.number().int().positive() }).strict();

/** Publish a draft: body {version}; 409 stale_version / not_draft, 422 validation_failed (planner, admin). */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await requireApiRole("planner", "admin");
  if (!auth.ok) return auth.response;
  return withPlanErrors(async () => {
    const { id } = await context.params;
    const planId = parseIdParam(id);
    const body = parseWith(PublishBody, await readJsonBody(request), "publish request");
    return jsonNoStore(await publishPlan(db, planId, { version: body.version, userId: auth.user.id }));
  });
}
