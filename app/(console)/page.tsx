import type { Metadata } from "next";
import { Panel } from "@/components/ui/panel";
import { Stat } from "@/components/ui/stat";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { canOpen, PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber } from "@/lib/i18n/core";
import { overviewMessages } from "@/lib/i18n/messages/overview";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { GRID_DEVIATION } from "@/lib/map/colors";
import { getOverview } from "./_data/overview";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(overviewMessages);
  return { title: t("title") };
}

export default async function OverviewPage() {
  const user = await requireRole(...PAGE_ACCESS.overview);
  const [overview, locale, t] = await Promise.all([getOverview(db), getLocale(), getTranslator(overviewMessages)]);
  const n = (value: number) => formatNumber(value, locale);
  const planner = canOpen(user.role, "grids");

  return (
    <Panel
      title={t("title")}
      subtitle={overview.plan ? t("subtitle", { plan: overview.plan.name }) : t("noActivePlan")}
      size="auto"
      footer={t("mapHint")}
    >
      <div className="stats" data-testid="overview-stats">
        <Stat
          label={t("communities")}
          value={n(overview.communities)}
          href={planner ? "/grids" : undefined}
          testId="stat-communities"
        />
        <Stat
          label={t("grids")}
          value={n(overview.grids)}
          detail={
            overview.gridsDeviating > 0
              ? t("gridsOverTarget", { count: n(overview.gridsDeviating), threshold: GRID_DEVIATION.over })
              : undefined
          }
          href={planner ? (overview.gridsDeviating > 0 ? "/grids?sort=deviation_abs" : "/grids") : undefined}
          alert={overview.gridsDeviating > 0}
          testId="stat-grids"
        />
        <Stat
          label={t("buildings")}
          value={n(overview.buildings)}
          detail={t("residentialBuildings", { count: n(overview.residentialBuildings) })}
          href={planner ? "/grids?sort=code" : undefined}
          testId="stat-buildings"
        />
        <Stat
          label={t("households")}
          value={n(overview.households)}
          detail={t("householdsSplit", {
            estimated: n(overview.householdsEstimated),
            surveyed: n(overview.householdsSurveyed),
          })}
          href={planner ? "/grids?sort=deviation_desc" : undefined}
          testId="stat-households"
        />
        <Stat
          label={t("stations")}
          value={n(overview.stations)}
          detail={overview.demoStations > 0 ? t("stationsDemo", { count: n(overview.demoStations) }) : undefined}
          href="/stations"
          testId="stat-stations"
        />
        <Stat label={t("openCases")} value={n(overview.openCases)} testId="stat-open-cases" />
      </div>
    </Panel>
  );
}
