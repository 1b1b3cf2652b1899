"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { useLocale, useT } from "@/lib/i18n/client";
import { commonMessages } from "@/lib/i18n/messages/common";
import { setLocaleAction } from "./set-locale-action";

/** One button that switches between 中文 and English and re-renders the server components in the new language. */
export function LocaleSwitch({ className = "btn" }: { className?: string }) {
  const locale = useLocale();
  const t = useT(commonMessages);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // A click before hydration would be lost; stay disabled until React has attached the handler.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const next = locale === "en" ? "zh-CN" : "en";
  return (
    <button
      type="button"
      className={className}
      lang={next}
      disabled={pending || !hydrated}
      aria-busy={pending}
      title={t("switchLanguageTitle")}
      data-testid="locale-switch"
      onClick={() =>
        startTransition(async () => {
          await setLocaleAction(next);
          router.refresh();
        })
      }
    >
      {next === "en" ? t("switchToEnglish") : t("switchToChinese")}
    </button>
  );
}
