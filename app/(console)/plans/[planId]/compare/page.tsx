import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PlanCompare } from "@/components/plans/compare/plan-compare";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { getTranslator } from "@/lib/i18n/server";
import { comparePlan } from "@/lib/plans/compare";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(planCompareMessages);
  return { title: t("comparePageTitle") };
}

const PlanId = z.coerce.number().int().positive().max(2_147_483_647);

/** A plan (usually a draft) against the active grids of its communities: swipe on the map and a per-grid table. */
export default async function ComparePage({ params }: { params: Promise<{ planId: string }> }) {
  await requireRole("planner", "admin");
  const parsed = PlanId.safeParse((await params).planId);
  if (!parsed.success) notFound();
  const comparison = await comparePlan(db, parsed.data);
  if (!comparison) notFound();
  return <PlanCompare comparison={comparison} />;
}
