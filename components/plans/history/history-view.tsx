"use client";
import { bbox } from "@turf/turf";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMapHost, useMapOverlay } from "@/components/map/map-host";
import { Panel } from "@/components/ui/panel";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { ADMIN_COLORS } from "@/lib/map/colors";
import { ANCHOR, LAYER } from "@/lib/map/ids";
import type { PublishedPlan } from "@/lib/plans/compare";
import type { ApiError, GridHistoryGeoJson } from "@/lib/plans/contract";
import { shanghaiDate, shanghaiDateTime } from "@/lib/print/dates";
import styles from "./history.module.css";

const SOURCE_ID = "history-grids";
const HISTORY_LAYERS = [
  {
    id: "history-grids-fill",
    type: "fill",
    source: SOURCE_ID,
    paint: { "fill-color": ADMIN_COLORS.communityFill, "fill-opacity": 0.14 },
    beforeId: ANCHOR.grids,
  },
  {
    id: "history-grids-outline",
    type: "line",
    source: SOURCE_ID,
    layout: { "line-join": "round" },
    paint: { "line-color": ADMIN_COLORS.streetLine, "line-width": 2 },
    beforeId: ANCHOR.outlines,
  },
  {
    id: "history-grids-label",
    type: "symbol",
    source: SOURCE_ID,
    minzoom: 14.5,
    layout: { "text-field": ["get", "code"], "text-font": FONT, "text-size": 11, "text-padding": 2 },
    paint: { "text-color": ADMIN_COLORS.label, "text-halo-color": "#ffffff", "text-halo-width": 1.5 },
    beforeId: ANCHOR.labels,
  },
] as const satisfies Parameters<typeof useMapOverlay>[2];

/** The console's own (current) grid layers, hidden while the history is shown so the two do not mix. */
const CURRENT_GRID_LAYERS = [LAYER.gridsFill, LAYER.gridsOutline, LAYER.gridsLabel];

type Load =
  | { status: "loading"; date: string }
  | { status: "ok"; date: string; data: GridHistoryGeoJson }
  | { status: "error"; date: string; message: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function HistoryView({
  today,
  initialDate,
  plans,
}: {
  today: string;
  initialDate: string;
  plans: PublishedPlan[];
}) {
  const t = useT(planCompareMessages);
  const locale = useLocale();
  const { map } = useMapHost();
  const [date, setDate] = useState(initialDate);
  const [load, setLoad] = useState<Load>({ status: "loading", date: initialDate });
  const n = (value: number) => formatNumber(value, locale);

  // Fetch the grids of the date; a newer date cancels the older request.
  useEffect(() => {
    if (!DATE_RE.test(date)) return;
    const controller = new AbortController();
    setLoad({ status: "loading", date });
    fetch(`/api/grids/history?date=${encodeURIComponent(date)}`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json().catch(() => undefined)) as GridHistoryGeoJson | ApiError | undefined;
        if (!response.ok || !body || !("type" in body)) {
          const message = body && "error" in body ? body.error : `HTTP ${response.status}`;
          setLoad({ status: "error", date, message });
          return;
        }
        setLoad({ status: "ok", date, data: body });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({ status: "error", date, message: error instanceof Error ? error.message : String(error) });
      });
    // Keep the date in the address so the view can be shared.
    const params = new URLSearchParams(window.location.search);
    params.set("date", date);
    window.history.replaceState(null, "", `${window.location.pathname}?${params.toString()}${window.location.hash}`);
    return () => controller.abort();
  }, [date]);

  const data = load.status === "ok" ? load.data : undefined;
  useMapOverlay(SOURCE_ID, data, HISTORY_LAYERS);

  // Hide the current grids while on this page (they may be added after the map loads); restore them on leaving.
  useEffect(() => {
    if (!map) return;
    const previous = new Map<string, string>();
    const hide = () => {
      for (const id of CURRENT_GRID_LAYERS) {
        if (previous.has(id) || !map.getLayer(id)) continue;
        previous.set(id, String(map.getLayoutProperty(id, "visibility") ?? "visible"));
        map.setLayoutProperty(id, "visibility", "none");
      }
      if (previous.size === CURRENT_GRID_LAYERS.length) map.off("styledata", hide);
    };
    hide();
    map.on("styledata", hide);
    return () => {
      map.off("styledata", hide);
      if (!map.getStyle()) return;
      for (const [id, visibility] of previous)
        if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visibility as "visible" | "none");
    };
  }, [map]);

  // Fit the grids of a date when they arrive.
  const fittedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!map || !data || data.features.length === 0 || fittedFor.current === load.date) return;
    fittedFor.current = load.date;
    const [west, south, east, north] = bbox(data);
    const container = map.getContainer();
    const narrow = container.clientWidth <= 720;
    const padding = narrow
      ? { top: 50, bottom: Math.round(container.clientHeight * 0.62) + 20, left: 30, right: 30 }
      : { top: 60, bottom: 50, left: 440, right: container.clientWidth > 1000 ? 280 : 60 };
    map.fitBounds([west, south, east, north], { padding, maxZoom: 16.5, duration: 600 });
  }, [map, data, load.date]);

  const pick = useCallback((value: string) => setDate(value), []);
  const status =
    load.status === "loading"
      ? t("historyLoading", { date: load.date })
      : load.status === "error"
        ? t("historyFailed", { message: load.message })
        : load.data.features.length === 0
          ? t("historyNone", { date: load.date })
          : t("historyCount", { date: load.date, count: n(load.data.features.length) });
  const plansByDate = useMemo(() => plans.map((plan) => ({ ...plan, date: shanghaiDate(plan.publishedAt) })), [plans]);

  return (
    <Panel
      title={t("historyTitle")}
      subtitle={t("historySubtitle")}
      toolbar={
        <div className={styles.toolbar}>
          <label className="small muted" htmlFor="history-date">
            {t("historyDate")}
          </label>
          <input
            id="history-date"
            type="date"
            className="input"
            value={date}
            max={today}
            required
            data-testid="history-date"
            onChange={(event) => {
              if (DATE_RE.test(event.target.value)) pick(event.target.value);
            }}
          />
          <button type="button" className="btn btn-small" onClick={() => pick(today)} disabled={date === today}>
            {t("historyToday")}
          </button>
        </div>
      }
      footer={t("historyLegend")}
    >
      <p
        className={`alert ${load.status === "error" ? "alert-error" : "alert-info"}`}
        role="status"
        data-testid="history-status"
        data-status={load.status}
        data-count={load.status === "ok" ? load.data.features.length : undefined}
      >
        {status}
      </p>
      <h2 className={`section-title ${styles.heading}`}>{t("historyPlans")}</h2>
      {plansByDate.length === 0 ? (
        <p className="muted small">{t("historyNoPlans")}</p>
      ) : (
        <ul className={styles.plans} data-testid="history-plans">
          {plansByDate.map((plan) => (
            <li key={plan.id} className={styles.plan} aria-current={plan.date === date ? "date" : undefined}>
              <div className={styles.planText}>
                <span className={styles.planName}>{plan.name}</span>
                <span className="small muted">
                  {t("historyPlanLine", { date: shanghaiDateTime(plan.publishedAt), count: n(plan.gridCount) })}
                  {plan.publishedBy ? ` · ${t("historyPlanBy", { by: plan.publishedBy })}` : ""}
                </span>
              </div>
              <button type="button" className="btn btn-small" onClick={() => pick(plan.date)}>
                {t("historyPick")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
