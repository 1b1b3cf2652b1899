import type { Metadata } from "next";
import { StatusCard } from "@/components/ui/status-page";
import { errorMessages } from "@/lib/i18n/messages/errors";
import { getTranslator } from "@/lib/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(errorMessages);
  return { title: t("notFoundTitle"), robots: { index: false } };
}

export default async function NotFound() {
  const t = await getTranslator(errorMessages);
  return (
    <div className="status-page standalone">
      <StatusCard
        testId="not-found"
        code={t("notFoundCode")}
        title={t("notFoundTitle")}
        body={t("notFoundBody")}
        actions={[{ href: "/", label: t("backHome"), primary: true }]}
      />
    </div>
  );
}
