import { StatusCard } from "@/components/ui/status-page";
import { errorMessages } from "@/lib/i18n/messages/errors";
import { getTranslator } from "@/lib/i18n/server";

export default async function ConsoleNotFound() {
  const t = await getTranslator(errorMessages);
  return (
    <div className="status-page">
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
