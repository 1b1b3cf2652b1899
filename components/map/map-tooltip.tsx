"use client";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { mapMessages } from "@/lib/i18n/messages/map";
import type { FeatureKind } from "@/lib/map/ids";
import styles from "./console-map.module.css";

export type HoverInfo = { kind: FeatureKind; x: number; y: number; properties: Record<string, unknown> };

const num = (value: unknown) => (typeof value === "number" ? value : Number(value ?? 0));

/** The hover tooltip: grid code and households/target, building households, station name. */
export function MapTooltip({ hover }: { hover: HoverInfo }) {
  const t = useT(mapMessages);
  const locale = useLocale();
  const { properties } = hover;
  let title: string;
  let detail: string | undefined;
  if (hover.kind === "grid") {
    title = t("tooltipGrid", { code: String(properties.code ?? "") });
    detail = t("tooltipGridHouseholds", {
      households: formatNumber(num(properties.households), locale),
      target: formatNumber(num(properties.household_target), locale),
    });
  } else if (hover.kind === "building") {
    title = typeof properties.name === "string" && properties.name ? properties.name : t("tooltipUnnamedBuilding");
    detail =
      properties.residential === true
        ? `${t("tooltipBuilding", { households: formatNumber(num(properties.households), locale) })} · ${t(
            properties.households_source === "surveyed" ? "badgeSurveyed" : "badgeEstimated",
          )}`
        : t("tooltipBuildingNonResidential");
  } else {
    title = String(properties.name ?? "");
    const kind = String(properties.kind ?? "");
    detail = kind in STATION_KIND_KEYS ? t(STATION_KIND_KEYS[kind as keyof typeof STATION_KIND_KEYS]) : undefined;
  }
  return (
    <div className={styles.tooltip} style={{ left: hover.x, top: hover.y }} role="tooltip" data-testid="map-tooltip">
      <strong>{title}</strong>
      {detail ? <span>{detail}</span> : null}
    </div>
  );
}

const STATION_KIND_KEYS = {
  party_center: "stationKind_party_center",
  party_station: "stationKind_party_station",
  convenience_station: "stationKind_convenience_station",
  government_center: "stationKind_government_center",
} as const;
