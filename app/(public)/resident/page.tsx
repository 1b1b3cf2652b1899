import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ConsoleMap } from "@/components/map/console-map";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { getSessionUser } from "@/lib/auth/session";
import { commonMessages } from "@/lib/i18n/messages/common";
import { residentMessages } from "@/lib/i18n/messages/resident";
import { shellMessages } from "@/lib/i18n/messages/shell";
import { getTranslator } from "@/lib/i18n/server";
import { StationSheet } from "./station-sheet-client";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(residentMessages);
  return { title: t("pageTitle") };
}

/** Public resident page (phone first): the demo city map and the nearest service stations; no sign-in. */
export default async function ResidentPage() {
  const [t, tc, ts, user] = await Promise.all([
    getTranslator(residentMessages),
    getTranslator(commonMessages),
    getTranslator(shellMessages),
    getSessionUser().catch(() => undefined),
  ]);
  return (
    <div className="resident">
      <header className="resident-header">
        <Link href="/resident" className="resident-brand">
          <span className="brand-mark" aria-hidden="true">
            居
          </span>
          <span>
            {tc("productName")} · {ts("navResident")}
          </span>
        </Link>
        <div className="resident-header-actions">
          <LocaleSwitch />
          <Link href={user ? "/" : "/login"} className="btn">
            {user ? ts("navOverview") : t("staffLogin")}
          </Link>
        </div>
      </header>
      <div className="resident-body">
        <div className="resident-map">
          <ConsoleMap mode="public" />
        </div>
        <Suspense>
          <StationSheet />
        </Suspense>
      </div>
    </div>
  );
}
