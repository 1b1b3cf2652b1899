import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { getSessionUser } from "@/lib/auth/session";
import { authMessages } from "@/lib/i18n/messages/auth";
import { commonMessages } from "@/lib/i18n/messages/common";
import { getTranslator } from "@/lib/i18n/server";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(authMessages);
  return { title: t("pageTitle") };
}

/** Only same-site paths: an absolute or protocol-relative callbackUrl could send the user to another site. */
function safeCallback(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url?.startsWith("/") || url.startsWith("//") || url.startsWith("/\\") || url.startsWith("/login")) {
    return "/";
  }
  return url;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const [t, tc] = await Promise.all([getTranslator(authMessages), getTranslator(commonMessages)]);
  const showDemo = process.env.WANGGE_HIDE_DEMO_ACCOUNTS !== "1";

  return (
    <div className="auth-page">
      <section className="auth-hero">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            网
          </span>
          <span>{tc("productFull")}</span>
        </div>
        <div>
          <p className="auth-hero-title">{tc("productTagline")}</p>
          <p className="auth-hero-text">{t("intro")}</p>
        </div>
        <p className="auth-hero-foot">{tc("osmAttribution")}</p>
      </section>
      <main className="auth-main">
        <div className="auth-toolbar">
          <span className="small muted">{tc("languageLabel")}</span>
          <LocaleSwitch />
        </div>
        <div className="auth-card">
          <h1>{t("heading")}</h1>
          <LoginForm
            callbackUrl={callbackUrl}
            initialError={typeof params.error === "string" ? params.error : undefined}
            showDemo={showDemo}
          />
        </div>
        <Link href="/resident" className="resident-cta" data-testid="resident-link">
          <span className="resident-cta-icon" aria-hidden="true">
            居
          </span>
          <span>
            <span className="resident-cta-title">{t("residentLink")}</span>
            <br />
            <span className="resident-cta-text">{t("residentHint")}</span>
          </span>
        </Link>
      </main>
    </div>
  );
}
