import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlanEditor } from "@/components/plans/plan-editor";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { planMessages } from "@/lib/i18n/messages/plans";
import { getTranslator } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(planMessages);
  return { title: t("pageTitle") };
}

/** /plans/[planId]: the draft editor over the console map (planner, admin). */
export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  await requireRole(...PAGE_ACCESS.plans);
  const { planId } = await params;
  if (!/^[1-9][0-9]{0,9}$/.test(planId) || Number(planId) > 2_147_483_647) notFound();
  return <PlanEditor key={planId} planId={Number(planId)} />;
}
