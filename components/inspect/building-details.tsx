"use client";
import type { BuildingDetails } from "@/lib/features/schemas";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber, type Translate } from "@/lib/i18n/core";
import { mapMessages } from "@/lib/i18n/messages/map";
import styles from "./inspect.module.css";

/** The OSM `building=*` value in the UI language; unknown values are shown as they are, marked 其他. */
function buildingTypeLabel(t: Translate<typeof mapMessages>, type: string): string {
  const key = `buildingType_${type}`;
  return key in mapMessages ? t(key as keyof typeof mapMessages) : t("buildingType_other", { type });
}

const LEVELS_SOURCE = { tagged: "levelsTagged", height: "levelsHeight", default: "levelsDefault" } as const;

export function BuildingDetailsView({ building, mode }: { building: BuildingDetails; mode: "console" | "public" }) {
  const t = useT(mapMessages);
  const locale = useLocale();
  void mode;
  const surveyed = building.householdsSource === "surveyed" && building.householdsSurveyed !== null;
  const levelsEstimated = building.levelsSource !== "tagged";
  return (
    <div className={styles.details}>
      <h2 className={styles.title}>{building.name ?? t("buildingUnnamed")}</h2>
      {building.address ? <p className={styles.sub}>{building.address}</p> : null}
      {building.residential ? (
        <div className={styles.households}>
          <span>{t("buildingHouseholds")}</span>
          <strong data-testid="building-households">
            {t("buildingHouseholdsValue", { count: formatNumber(building.households, locale) })}
          </strong>
          <span
            className={surveyed ? styles.badgeSurveyed : styles.badgeEstimated}
            data-testid="households-source"
            data-source={surveyed ? "surveyed" : "estimated"}
          >
            {t(surveyed ? "badgeSurveyed" : "badgeEstimated")}
          </span>
        </div>
      ) : null}
      {building.residential && !surveyed ? <p className={styles.note}>{t("estimatedNote")}</p> : null}
      {surveyed && building.householdsEstimated !== building.households ? (
        <p className={styles.sub}>
          {t("buildingEstimatedValue", { count: formatNumber(building.householdsEstimated, locale) })}
        </p>
      ) : null}
      <dl className={styles.kv}>
        <dt>{t("buildingType")}</dt>
        <dd>{buildingTypeLabel(t, building.buildingType)}</dd>
        <dt>{t("buildingResidential")}</dt>
        <dd>{building.residential ? "✓" : "—"}</dd>
        <dt>{t("buildingLevels")}</dt>
        <dd>
          {t("buildingLevelsValue", { levels: building.levels })}
          <span className={levelsEstimated ? styles.badgeEstimated : styles.badgeNeutral}>
            {t(LEVELS_SOURCE[building.levelsSource])}
          </span>
        </dd>
        <dt>{t("buildingArea")}</dt>
        <dd>{t("buildingAreaValue", { area: formatNumber(building.areaM2, locale, { maximumFractionDigits: 0 }) })}</dd>
        <dt>{t("buildingGrid")}</dt>
        <dd className={styles.mono}>{building.gridCode ?? "—"}</dd>
        <dt>{t("buildingCommunity")}</dt>
        <dd>{building.communityName ?? "—"}</dd>
      </dl>
    </div>
  );
}
