import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PrintSheet } from "@/components/plans/print/print-sheet";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { getTranslator } from "@/lib/i18n/server";
import { getComparePlanInfo } from "@/lib/plans/compare";
import { shanghaiDate } from "@/lib/print/dates";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(planCompareMessages);
  return { title: t("printPageTitle") };
}

const PlanId = z.coerce.number().int().positive().max(2_147_483_647);

/** The wall-map sheet of one plan: map, legend, scale bar, north arrow, per-grid table; PNG / PDF / print. */
export default async function PrintPage({ params }: { params: Promise<{ planId: string }> }) {
  await requireRole("planner", "admin");
  const parsed = PlanId.safeParse((await params).planId);
  if (!parsed.success) notFound();
  const plan = await getComparePlanInfo(db, parsed.data);
  if (!plan) notFound();
  return (
    <PrintSheet
      plan={{
        id: plan.id,
        name: plan.name,
        status: plan.status,
        communities: plan.communities.map((community) => community.name),
        date: shanghaiDate(new Date()),
      }}
    />
  );
}
