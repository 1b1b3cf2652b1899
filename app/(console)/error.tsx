"use client";
import { useT } from "@/lib/i18n/client";
import { errorMessages } from "@/lib/i18n/messages/errors";

export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useT(errorMessages);
  return (
    <div className="status-page">
      <div className="status-card" role="alert">
        <h1 className="status-title">{t("errorTitle")}</h1>
        <p className="status-body">{t("errorBody")}</p>
        <div className="status-actions">
          <button type="button" className="btn btn-primary" onClick={reset}>
            {t("retry")}
          </button>
        </div>
      </div>
    </div>
  );
}
