import type { Metadata } from "next";
import { z } from "zod";
import { HistoryView } from "@/components/plans/history/history-view";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { getTranslator } from "@/lib/i18n/server";
import { listPublishedPlans } from "@/lib/plans/compare";
import { shanghaiDate } from "@/lib/print/dates";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(planCompareMessages);
  return { title: t("historyPageTitle") };
}

const HistoryQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    .optional()
    .catch(undefined),
});

/** The grids as they were on a chosen date (default today, Asia/Shanghai), with the plans published over time. */
export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireRole("planner", "admin");
  const query = HistoryQuery.parse({ date: (await searchParams).date });
  const today = shanghaiDate(new Date());
  const plans = await listPublishedPlans(db);
  return <HistoryView today={today} initialDate={query.date ?? today} plans={plans} />;
}
