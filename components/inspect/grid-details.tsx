"use client";
import Link from "next/link";
import type { GridDetails } from "@/lib/features/schemas";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { mapMessages } from "@/lib/i18n/messages/map";
import { GRID_COLORS, GRID_DEVIATION } from "@/lib/map/colors";
import styles from "./inspect.module.css";

/** Deviation class of a grid, the same thresholds as the map colours. */
export function deviationClass(deviationPct: number): "under" | "within" | "over" | "farOver" {
  if (deviationPct < GRID_DEVIATION.under) return "under";
  if (deviationPct > GRID_DEVIATION.farOver) return "farOver";
  if (deviationPct > GRID_DEVIATION.over) return "over";
  return "within";
}

export function GridDetailsView({ grid, mode }: { grid: GridDetails; mode: "console" | "public" }) {
  const t = useT(mapMessages);
  const locale = useLocale();
  const deviation = deviationClass(grid.deviationPct);
  const color = GRID_COLORS[deviation];
  // The bar spans 0 … 2 × target, so the target mark sits in the middle.
  const fill = Math.min(100, (grid.households / Math.max(1, grid.householdTarget)) * 50);
  const sign = grid.deviationPct > 0 ? "+" : "";
  return (
    <div className={styles.details}>
      <h2 className={styles.title}>{grid.name}</h2>
      <p className={styles.code}>{grid.code}</p>
      <div className={styles.deviation}>
        <div className={styles.deviationHead}>
          <span>{t("gridHouseholds")}</span>
          <strong data-testid="grid-households">
            {t("gridHouseholdsValue", {
              households: formatNumber(grid.households, locale),
              target: formatNumber(grid.householdTarget, locale),
            })}
          </strong>
        </div>
        <div className={styles.bar} aria-hidden="true">
          <span className={styles.barFill} style={{ width: `${fill}%`, background: color }} />
          <span className={styles.barTarget} />
        </div>
        <p className={styles.deviationText} style={{ color }}>
          {t("gridDeviation")} {sign}
          {formatNumber(grid.deviationPct, locale, { maximumFractionDigits: 1 })}% ·{" "}
          {t(
            deviation === "under"
              ? "gridDeviationUnder"
              : deviation === "within"
                ? "gridDeviationWithin"
                : "gridDeviationOver",
          )}
        </p>
      </div>
      <dl className={styles.kv}>
        <dt>{t("gridCommunity")}</dt>
        <dd>{grid.communityName ?? "—"}</dd>
        {grid.streetName ? (
          <>
            <dt>{t("gridStreet")}</dt>
            <dd>{grid.streetName}</dd>
          </>
        ) : null}
        <dt>{t("gridEstateKind")}</dt>
        <dd>{t(grid.estateKind === "new" ? "estateNew" : "estateOld")}</dd>
        <dt>{t("gridBuildingCount")}</dt>
        <dd>
          {t("gridBuildingCountValue", { count: formatNumber(grid.buildingCount, locale) })}
          {grid.estimatedBuildingCount > 0 ? (
            <span className={styles.sub}>
              {t("gridEstimatedBuildings", { count: formatNumber(grid.estimatedBuildingCount, locale) })}
            </span>
          ) : null}
        </dd>
        <dt>{t("gridArea")}</dt>
        <dd>
          {t("gridAreaValue", { hectares: formatNumber(grid.areaM2 / 10_000, locale, { maximumFractionDigits: 2 }) })}
        </dd>
      </dl>
      {mode === "console" ? (
        <Link className={styles.link} href={`/grids/${grid.id}`}>
          {t("gridOpenPage")}
        </Link>
      ) : null}
    </div>
  );
}
