import type { ReactNode } from "react";
import { ConsoleMap } from "@/components/map/console-map";
import { MapHostProvider } from "@/components/map/map-host";
import { TopBar } from "@/components/shell/top-bar";
import { requireRole } from "@/lib/auth/require-role";
import { getLocale } from "@/lib/i18n/server";

export const dynamic = "force-dynamic";

/** Session gate and shell: top bar, the one map (mounted once, never remounted by navigation), panels over it. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const [user, locale] = await Promise.all([requireRole(), getLocale()]);
  return (
    <div className="console">
      <TopBar user={user} locale={locale} />
      <MapHostProvider>
        <div className="console-body">
          <div className="console-map">
            <ConsoleMap mode="console" />
          </div>
          <main className="console-overlay" id="main">
            {children}
          </main>
        </div>
      </MapHostProvider>
    </div>
  );
}
