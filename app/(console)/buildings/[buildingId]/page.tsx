import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { db } from "@/db";
import { requireRole } from "@/lib/auth/require-role";
import { PAGE_ACCESS } from "@/lib/auth/roles";
import { formatNumber, type Translate } from "@/lib/i18n/core";
import { buildingMessages } from "@/lib/i18n/messages/buildings";
import { commonMessages } from "@/lib/i18n/messages/common";
import { mapMessages } from "@/lib/i18n/messages/map";
import { getLocale, getTranslator } from "@/lib/i18n/server";
import { getBuildingDetail } from "../../_data/buildings";

type Props = { params: Promise<{ buildingId: string }> };

function parseId(value: string): number | undefined {
  return /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : undefined;
}

/** Building types share their labels with the map's details panel (lib/i18n/messages/map.ts). */
function buildingTypeLabel(t: Translate<typeof mapMessages>, value: string): string {
  const key = `buildingType_${value}`;
  // safe because the `in` check proves the key exists in the message namespace
  return key in mapMessages ? t(key as keyof typeof mapMessages) : t("buildingType_other", { type: value });
}

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslator(buildingMessages);
  return { title: t("title") };
}

export default async function BuildingDetailPage({ params }: Props) {
  await requireRole(...PAGE_ACCESS.buildingDetail);
  const id = parseId((await params).buildingId);
  if (!id) notFound();
  const [building, locale, t, tc, tm] = await Promise.all([
    getBuildingDetail(db, id),
    getLocale(),
    getTranslator(buildingMessages),
    getTranslator(commonMessages),
    getTranslator(mapMessages),
  ]);
  if (!building) notFound();
  const n = (value: number, digits = 0) =>
    formatNumber(value, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const surveyedInUse = building.householdsSource === "surveyed" && building.householdsSurveyed !== null;

  return (
    <Panel
      size="auto"
      title={building.name ?? t("unnamed", { id: building.id })}
      subtitle={building.address ?? undefined}
      actions={
        building.gridId ? (
          <Link href={`/grids/${building.gridId}?grid=${building.gridId}`} className="btn btn-small btn-ghost">
            {tc("back")}
          </Link>
        ) : undefined
      }
    >
      <div className="section" data-testid="building-households">
        <h2 className="section-title">{t("householdsHeading")}</h2>
        <dl className="kv">
          <dt>{t("householdsInUse")}</dt>
          <dd className="num">
            <strong>{tc("households", { count: n(building.households) })}</strong>{" "}
            <Badge tone={surveyedInUse ? "success" : "neutral"}>
              {t(surveyedInUse ? "householdsSource_surveyed" : "householdsSource_estimated")}
            </Badge>
          </dd>
          <dt>{t("householdsEstimated")}</dt>
          <dd className="num">{tc("households", { count: n(building.householdsEstimated) })}</dd>
          <dt>{t("householdsSurveyed")}</dt>
          <dd className="num">
            {building.householdsSurveyed === null
              ? t("notSurveyed")
              : tc("households", { count: n(building.householdsSurveyed) })}
          </dd>
        </dl>
        <p className="note">{t("estimateNote")}</p>
      </div>

      <div className="section" data-testid="building-structure">
        <dl className="kv">
          <dt>{t("buildingType")}</dt>
          <dd>
            {buildingTypeLabel(tm, building.buildingType)}
            {building.residential ? (
              <>
                {" "}
                <Badge tone="primary">{t("residential")}</Badge>
              </>
            ) : null}
          </dd>
          <dt>{t("levels")}</dt>
          <dd className="num">{t("levelsValue", { count: n(building.levels) })}</dd>
          <dt>{t("levelsSource")}</dt>
          <dd>{t(`levelsSource_${building.levelsSource}`)}</dd>
          {building.heightM !== null ? (
            <>
              <dt>{t("height")}</dt>
              <dd className="num">{t("heightValue", { value: n(building.heightM, 1) })}</dd>
            </>
          ) : null}
          <dt>{t("footprint")}</dt>
          <dd className="num">{t("footprintValue", { value: n(building.areaM2) })}</dd>
        </dl>
      </div>

      <div className="section" data-testid="building-location">
        <h2 className="section-title">{t("location")}</h2>
        <dl className="kv">
          <dt>{t("grid")}</dt>
          <dd>
            {building.gridId ? (
              <Link href={`/grids/${building.gridId}?grid=${building.gridId}`}>
                {building.gridName} <span className="mono faint">{building.gridCode}</span>
              </Link>
            ) : (
              <span className="muted">{t("noGrid")}</span>
            )}
          </dd>
          <dt>{t("community")}</dt>
          <dd>{building.communityName ?? <span className="muted">{t("noCommunity")}</span>}</dd>
          <dt>{t("sourceKey")}</dt>
          <dd className="mono faint">{building.sourceKey}</dd>
        </dl>
      </div>
    </Panel>
  );
}
