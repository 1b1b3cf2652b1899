"use client";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMapHost, useMapOverlay } from "@/components/map/map-host";
import { Panel } from "@/components/ui/panel";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { GRID_DEVIATION } from "@/lib/map/colors";
import type { Bbox, PlanComparison } from "@/lib/plans/compare";
import styles from "./compare.module.css";
import { selectedGridLayer } from "./draft-layers";
import { SwipeCompare } from "./swipe-compare";

const SELECTED_OVERLAY = "compare-selected-active";
const SELECTED_LAYERS = [selectedGridLayer("compare-selected-active-line", SELECTED_OVERLAY)];

/** Deviation band class names of globals.css, same thresholds as the map (lib/map/colors.ts). */
function deviationClass(deviation: number): string {
  const pct = deviation * 100;
  if (pct > GRID_DEVIATION.farOver) return "deviation-far-over";
  if (pct > GRID_DEVIATION.over) return "deviation-over";
  if (pct < GRID_DEVIATION.under) return "deviation-under";
  return "deviation-within";
}

/** Map padding that keeps a fitted extent clear of the panel (left on desktop, bottom sheet on phones). */
function fitPadding(container: HTMLElement, panel: HTMLElement | null) {
  const { clientWidth: width, clientHeight: height } = container;
  if (width <= 720) return { top: 50, bottom: Math.round(height * 0.62) + 20, left: 30, right: 30 };
  const right = panel ? panel.getBoundingClientRect().right - container.getBoundingClientRect().left : 0;
  return { top: 60, bottom: 50, left: Math.max(40, Math.min(width / 2, right + 40)), right: rightInset(width) + 40 };
}

/** The console's layer panel covers the right edge of wide maps (it starts open there). */
function rightInset(width: number): number {
  return width > 1000 ? 240 : 0;
}

/** The compare view: summary, per-grid table (click → fit), swipe between active grids and the plan. */
export function PlanCompare({ comparison }: { comparison: PlanComparison }) {
  const t = useT(planCompareMessages);
  const locale = useLocale();
  const { map } = useMapHost();
  const panelRef = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<number>();
  const { plan, after, before, summary } = comparison;
  const n = (value: number, digits = 0) =>
    formatNumber(value, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const pct = (deviation: number) => `${deviation > 0 ? "+" : ""}${n(deviation * 100, 1)}%`;

  const planGeojson = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: "FeatureCollection",
      features: comparison.geojson.features.map((feature) => ({
        ...feature,
        properties: { ...feature.properties, deviation_pct: feature.properties.deviation * 100 },
      })),
    }),
    [comparison.geojson],
  );
  const selectedFeature = useMemo(
    () => planGeojson.features.find((feature) => feature.id === selectedId),
    [planGeojson, selectedId],
  );
  const selectedData = useMemo<GeoJSON.FeatureCollection | undefined>(
    () => (selectedFeature ? { type: "FeatureCollection", features: [selectedFeature] } : undefined),
    [selectedFeature],
  );
  // The selected grid is outlined on the console (active) side too.
  useMapOverlay(SELECTED_OVERLAY, selectedData, SELECTED_LAYERS);

  const fitExtent = useCallback(
    (bbox: Bbox, duration: number) => {
      if (!map) return;
      const panel = panelRef.current?.querySelector<HTMLElement>("section.panel") ?? null;
      map.fitBounds(bbox, { padding: fitPadding(map.getContainer(), panel), maxZoom: 17.5, duration });
    },
    [map],
  );
  // Fit both sets once the map is there.
  const fitted = useRef(false);
  useEffect(() => {
    if (!map || fitted.current || !comparison.bbox) return;
    fitted.current = true;
    fitExtent(comparison.bbox, 0);
  }, [map, fitExtent, comparison.bbox]);

  // The divider starts in the middle of the map area the panel leaves free.
  const initialFraction = useCallback(() => {
    if (!map) return 0.5;
    const container = map.getContainer();
    const panel = panelRef.current?.querySelector<HTMLElement>("section.panel");
    if (container.clientWidth <= 720 || !panel) return 0.5;
    const right = panel.getBoundingClientRect().right - container.getBoundingClientRect().left;
    return (right + container.clientWidth - rightInset(container.clientWidth)) / 2 / container.clientWidth;
  }, [map]);

  const statusLabel =
    plan.status === "draft" ? t("statusDraft") : plan.status === "active" ? t("statusActive") : t("statusArchived");

  return (
    <div ref={panelRef} className={styles.panelWidth}>
      <Panel
        flush
        title={t("compareTitle", { name: plan.name })}
        subtitle={`${statusLabel} · ${plan.communities.map((c) => c.name).join("、")} · ${t("compareSubtitle")}`}
        toolbar={
          <div className={styles.actions}>
            <Link className="btn btn-small" href="/plans">
              {t("backToPlans")}
            </Link>
            <Link className="btn btn-small" href={`/plans/${plan.id}/print`} data-testid="compare-print-link">
              {t("print")}
            </Link>
            <Link className="btn btn-small" href="/plans/history">
              {t("historyTitle")}
            </Link>
          </div>
        }
        footer={t("compactnessHint")}
      >
        <div className={styles.summary} data-testid="compare-summary">
          <SummaryItem
            label={t("summaryGrids")}
            value={t("beforeAfter", { before: n(summary.gridsBefore), after: n(summary.gridsAfter) })}
            detail={t("householdsTotal", { count: n(summary.householdsAfter) })}
            testId="summary-grids"
          />
          <SummaryItem
            label={t("summaryChanged")}
            value={n(summary.changed)}
            detail={t("summaryUnchanged", { count: n(summary.unchanged) })}
            testId="summary-changed"
          />
          <SummaryItem
            label={t("summaryWithin5")}
            value={t("beforeAfter", { before: n(summary.within5Before), after: n(summary.within5After) })}
            testId="summary-within5"
          />
          <SummaryItem
            label={t("summaryWithin10")}
            value={t("beforeAfter", { before: n(summary.within10Before), after: n(summary.within10After) })}
            testId="summary-within10"
          />
        </div>
        {before.length === 0 ? <p className={`alert alert-info ${styles.notice}`}>{t("noActiveGrids")}</p> : null}
        <div className="table-wrap">
          <table className="table" data-testid="compare-table">
            <thead>
              <tr>
                <th scope="col">{t("colCode")}</th>
                <th scope="col" className="num">
                  {t("colHouseholds")}
                </th>
                <th scope="col" className="num">
                  {t("colTarget")}
                </th>
                <th scope="col" className="num">
                  {t("colDeviation")}
                </th>
                <th scope="col" className="num">
                  {t("colArea")}
                </th>
                <th scope="col" className="num">
                  {t("colCompactness")}
                </th>
                <th scope="col" className="num">
                  {t("colBuildings")}
                </th>
                <th scope="col">{t("colStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {after.length === 0 ? (
                <tr>
                  <td colSpan={8} className="muted">
                    {t("noGrids")}
                  </td>
                </tr>
              ) : (
                after.map((grid) => (
                  <tr
                    key={grid.id}
                    className={styles.row}
                    aria-selected={grid.id === selectedId}
                    title={t("rowTitle", { code: grid.code })}
                    data-grid-id={grid.id}
                    onClick={() => {
                      setSelectedId(grid.id);
                      fitExtent(grid.bbox, 700);
                    }}
                  >
                    <td className="cell-nowrap">
                      <button
                        type="button"
                        className="code-link mono"
                        style={{ border: "none", background: "none", padding: 0, cursor: "pointer", color: "inherit" }}
                      >
                        {grid.code}
                      </button>
                    </td>
                    <td className="num">{n(grid.households)}</td>
                    <td className="num">{n(grid.target)}</td>
                    <td className={`num ${deviationClass(grid.deviation)}`}>{pct(grid.deviation)}</td>
                    <td className="num">{n(grid.areaM2 / 10_000, 1)}</td>
                    <td className="num">{n(grid.compactness, 2)}</td>
                    <td className="num">{n(grid.buildings)}</td>
                    <td className="cell-nowrap">
                      {grid.unchangedFrom ? (
                        <span className={styles.unchanged} title={t("unchangedFrom", { code: grid.unchangedFrom })}>
                          {t("statusUnchanged")}
                        </span>
                      ) : (
                        <span className={styles.changed}>{t("statusChanged")}</span>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </Panel>
      <SwipeCompare plan={planGeojson} selected={selectedFeature} initialFraction={initialFraction} />
    </div>
  );
}

function SummaryItem({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  testId: string;
}) {
  return (
    <div className={styles.summaryItem} data-testid={testId}>
      <span className={styles.summaryLabel}>{label}</span>
      <span className={styles.summaryValue}>{value}</span>
      {detail ? <span className={styles.summaryDetail}>{detail}</span> : null}
    </div>
  );
}
