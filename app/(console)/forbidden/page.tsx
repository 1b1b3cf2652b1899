import type { Metadata } from "next";
import { StatusCard } from "@/components/ui/status-page";
import { requireRole } from "@/lib/auth/require-role";
import { commonMessages } from "@/lib/i18n/messages/common";
import { errorMessages } from "@/lib/i18n/messages/errors";
import { getTranslator } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(errorMessages);
  return { title: t("forbiddenTitle"), robots: { index: false } };
}

/** The 403 page: proxy.ts rewrites here (status 403, URL kept) and `requireRole` redirects here. */
export default async function ForbiddenPage() {
  const user = await requireRole();
  const [t, tc] = await Promise.all([getTranslator(errorMessages), getTranslator(commonMessages)]);
  return (
    <div className="status-page">
      <StatusCard
        testId="forbidden"
        code={t("forbiddenCode")}
        title={t("forbiddenTitle")}
        body={t("forbiddenBody", { role: tc(`role_${user.role}`) })}
        actions={[{ href: "/", label: t("backHome"), primary: true }]}
      />
    </div>
  );
}
