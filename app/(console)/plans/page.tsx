import type { Metadata } from "next";
import { PlansHome } from "@/components/plans/plans-home";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { planMessages } from "@/lib/i18n/messages/plans";
import { getTranslator } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(planMessages);
  return { title: t("pageTitle") };
}

/** /plans: the active plan, drafts and the automatic partition (planner, admin). */
export default async function PlansPage() {
  await requireRole(...PAGE_ACCESS.plans);
  return <PlansHome />;
}
