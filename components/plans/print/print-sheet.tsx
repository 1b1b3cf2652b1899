"use client";
import { bbox } from "@turf/turf";
import "maplibre-gl/dist/maplibre-gl.css";
import type { Map as MaplibreMap, StyleSpecification } from "maplibre-gl";
import Link from "next/link";
import { type CSSProperties, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { planGridLayers } from "@/components/plans/compare/draft-layers";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { OSM_ATTRIBUTION } from "@/lib/map/sources";
import { LOCAL_IDEOGRAPH_FONT_FAMILY, MAX_ZOOM, MIN_ZOOM, resolveMapStyle } from "@/lib/map/style";
import type { ApiError, PlanGeoJson } from "@/lib/plans/contract";
import { type PageSize, pdfWithJpeg } from "@/lib/print/pdf";
import { metersPerPixel, niceScale } from "@/lib/print/scale";
import { canvasBlob, composeSheet, downloadBlob } from "./compose";
import {
  deviationTextColor,
  EXPORT_SCALE,
  HEADER,
  LEGEND_BANDS,
  LEGEND_HEIGHT,
  LEGEND_VARS,
  MAP_BOX,
  SHEET,
  type SheetGrid,
  SIDE_BOX,
  TABLE_BOX,
  TABLE_COLUMNS,
  TABLE_MAX_ROWS,
  type TableColumnKey,
  tableFontSize,
  tableRowHeight,
} from "./layout";
import styles from "./print.module.css";

declare global {
  interface Window {
    /** The print sheet's map, for e2e assertions. */
    __printMap?: MaplibreMap;
  }
}

const EXTERNAL_STYLE_URL = process.env.NEXT_PUBLIC_BASEMAP_STYLE_URL || undefined;
const SOURCE_ID = "print-plan";
const SCALE_MAX_PX = 120;

export interface PrintPlanInfo {
  id: number;
  name: string;
  status: "draft" | "active" | "archived";
  communities: string[];
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  date: string;
}

type Load = { status: "loading" } | { status: "ok"; data: PlanGeoJson } | { status: "error"; message: string };

/** The wall-map sheet: map of the plan's grids, title, legend, scale bar, north arrow, per-grid table; PNG/PDF/print. */
export function PrintSheet({ plan }: { plan: PrintPlanInfo }) {
  const t = useT(planCompareMessages);
  const locale = useLocale();
  const mapDiv = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [mapReady, setMapReady] = useState(false);
  const [scale, setScale] = useState<{ px: number; label: string }>({ px: 100, label: "" });
  const [pageSize, setPageSize] = useState<PageSize>("A4");
  const [busy, setBusy] = useState<"png" | "pdf">();
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string }>();
  const n = useCallback((value: number) => formatNumber(value, locale), [locale]);
  const pct = useCallback(
    (deviation: number) =>
      `${deviation > 0 ? "+" : ""}${formatNumber(deviation * 100, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`,
    [locale],
  );

  // The plan's grids from the planner API.
  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/plans/${plan.id}/geojson`, { signal: controller.signal })
      .then(async (response) => {
        const body = (await response.json().catch(() => undefined)) as PlanGeoJson | ApiError | undefined;
        if (!response.ok || !body || !("type" in body)) {
          setLoad({ status: "error", message: body && "error" in body ? body.error : `HTTP ${response.status}` });
          return;
        }
        setLoad({ status: "ok", data: body });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setLoad({ status: "error", message: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [plan.id]);

  const grids = useMemo<SheetGrid[]>(
    () =>
      load.status === "ok"
        ? load.data.features.map((feature) => feature.properties).sort((a, b) => a.code.localeCompare(b.code))
        : [],
    [load],
  );

  // The map: our style, the plan's grids coloured by deviation with code labels, fitted to the plan.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the style's label language is fixed for the page
  useEffect(() => {
    if (load.status !== "ok" || !mapDiv.current) return;
    let cancelled = false;
    let map: MaplibreMap | undefined;
    const data = {
      ...load.data,
      features: load.data.features.map((feature) => ({
        ...feature,
        properties: { ...feature.properties, deviation_pct: feature.properties.deviation * 100 },
      })),
    };
    const bounds = extent(load.data);
    void import("maplibre-gl").then(({ Map: MapClass }) => {
      if (cancelled || !mapDiv.current) return;
      map = new MapClass({
        container: mapDiv.current,
        style: resolveMapStyle({ origin: window.location.origin, locale }, EXTERNAL_STYLE_URL) as
          | StyleSpecification
          | string,
        bounds: bounds ?? undefined,
        fitBoundsOptions: { padding: 24 },
        minZoom: MIN_ZOOM,
        maxZoom: MAX_ZOOM,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        attributionControl: false,
        localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
        pixelRatio: EXPORT_SCALE,
        fadeDuration: 0,
        canvasContextAttributes: { preserveDrawingBuffer: true },
      });
      map.touchZoomRotate.disableRotation();
      const created = map;
      const updateScale = () => {
        const center = created.getCenter();
        setScale(niceScale(metersPerPixel(center.lat, created.getZoom()), SCALE_MAX_PX));
      };
      created.on("load", () => {
        created.addSource(SOURCE_ID, { type: "geojson", data });
        for (const { beforeId, ...spec } of planGridLayers(SOURCE_ID, {
          prefix: "print-plan",
          labelMinZoom: 12,
          strong: true,
        }))
          created.addLayer(spec, beforeId && created.getLayer(beforeId) ? beforeId : undefined);
        updateScale();
        window.__printMap = created;
        created.once("idle", () => {
          if (!cancelled) setMapReady(true);
        });
      });
      created.on("move", updateScale);
      mapRef.current = created;
    });
    return () => {
      cancelled = true;
      if (map && window.__printMap === map) window.__printMap = undefined;
      map?.remove();
      mapRef.current = undefined;
      setMapReady(false);
    };
  }, [load]);

  const communities = plan.communities.join("、");
  const statusLabel =
    plan.status === "draft" ? t("statusDraft") : plan.status === "active" ? t("statusActive") : t("statusArchived");
  const within10 = grids.filter((grid) => Math.abs(grid.deviation) <= 0.1 + 1e-9).length;
  const households = grids.reduce((sum, grid) => sum + grid.households, 0);
  const lines = [
    t("printCommunities", { names: communities }),
    `${t("printDate", { date: plan.date })} · ${t("printPlanStatus", { status: statusLabel })} · ${t("printSummary", {
      grids: n(grids.length),
      households: n(households),
      within10: n(within10),
    })}`,
  ];
  const headers: Record<TableColumnKey, string> = {
    code: t("colCode"),
    name: t("colName"),
    households: t("colHouseholds"),
    target: t("colTarget"),
    deviation: t("colDeviation"),
    buildings: t("colBuildings"),
  };
  const listed = grids.length > TABLE_MAX_ROWS ? grids.slice(0, TABLE_MAX_ROWS - 1) : grids;
  const more = grids.length - listed.length;
  const cells = (grid: SheetGrid): Record<TableColumnKey, string> => ({
    code: grid.code,
    name: grid.name,
    households: n(grid.households),
    target: n(grid.target),
    deviation: pct(grid.deviation),
    buildings: n(grid.buildings),
  });
  const rowHeight = tableRowHeight(listed.length + (more > 0 ? 1 : 0));
  const legend = LEGEND_BANDS.map((band) => ({ color: band.color, label: t(band.key, LEGEND_VARS) }));

  const exportSheet = async (kind: "png" | "pdf") => {
    const map = mapRef.current;
    if (!map) return;
    setBusy(kind);
    setMessage(undefined);
    try {
      await document.fonts.ready;
      if (!map.loaded()) await map.once("idle");
      const canvas = composeSheet({
        map: map.getCanvas(),
        title: plan.name,
        lines,
        legendTitle: t("legendTitle"),
        legend,
        scale,
        north: t("north"),
        attribution: OSM_ATTRIBUTION,
        table: {
          headers: TABLE_COLUMNS.map((column) => headers[column.key]),
          rows: listed.map((grid) => {
            const row = cells(grid);
            return {
              cells: TABLE_COLUMNS.map((column) => row[column.key]),
              color: deviationTextColor(grid.deviation),
            };
          }),
          more: more > 0 ? t("tableMore", { count: n(more) }) : undefined,
        },
      });
      const base = `wangge-plan-${plan.id}-${plan.date}`;
      if (kind === "png") {
        const file = `${base}.png`;
        downloadBlob(await canvasBlob(canvas, "image/png"), file);
        setMessage({ tone: "ok", text: t("exported", { file }) });
      } else {
        const jpeg = new Uint8Array(await (await canvasBlob(canvas, "image/jpeg", 0.92)).arrayBuffer());
        const pdf = pdfWithJpeg({ jpeg, page: pageSize, title: plan.name });
        const file = `${base}-${pageSize}.pdf`;
        downloadBlob(new Blob([pdf as BlobPart], { type: "application/pdf" }), file);
        setMessage({ tone: "ok", text: t("exported", { file }) });
      }
    } catch (error) {
      setMessage({
        tone: "error",
        text: t("exportFailed", { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setBusy(undefined);
    }
  };

  const ready = load.status === "ok" && mapReady;
  return (
    <div className={styles.page}>
      <div className={styles.toolbar} data-testid="print-toolbar">
        <Link className="btn btn-small" href={`/plans/${plan.id}/compare`}>
          {t("backToCompare")}
        </Link>
        <span className={styles.spacer} />
        <label className="small muted" htmlFor="print-page-size">
          {t("pageSize")}
        </label>
        <select
          id="print-page-size"
          className="select select-inline"
          value={pageSize}
          onChange={(event) => setPageSize(event.target.value === "A3" ? "A3" : "A4")}
        >
          <option value="A4">A4</option>
          <option value="A3">A3</option>
        </select>
        <button
          type="button"
          className="btn btn-small"
          disabled={!ready || busy !== undefined}
          onClick={() => void exportSheet("png")}
          data-testid="export-png"
        >
          {busy === "png" ? t("exporting") : t("exportPng")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!ready || busy !== undefined}
          onClick={() => void exportSheet("pdf")}
          data-testid="export-pdf"
        >
          {busy === "pdf" ? t("exporting") : t("exportPdf")}
        </button>
        <button type="button" className="btn btn-small btn-primary" disabled={!ready} onClick={() => window.print()}>
          {t("printBrowser")}
        </button>
      </div>
      {message ? (
        <p
          className={`alert ${message.tone === "error" ? "alert-error" : "alert-success"} ${styles.message}`}
          role="status"
        >
          {message.text}
        </p>
      ) : null}
      <div className={styles.scroller}>
        <article
          className={styles.sheet}
          style={{ width: SHEET.width, height: SHEET.height }}
          data-testid="print-sheet"
          data-ready={ready}
        >
          <header className={styles.header} style={box(HEADER)}>
            <h1 className={styles.title}>{plan.name}</h1>
            {lines.map((line) => (
              <p key={line} className={styles.line}>
                {line}
              </p>
            ))}
          </header>
          <div className={styles.mapBox} style={box(MAP_BOX)}>
            <div ref={mapDiv} className={styles.map} />
            {load.status === "loading" ? <p className={styles.mapNote}>{t("mapLoading")}</p> : null}
            {load.status === "error" ? (
              <p className={`${styles.mapNote} alert alert-error`}>{t("mapFailed", { message: load.message })}</p>
            ) : null}
            <div className={styles.north} role="img" aria-label={t("north")}>
              <svg viewBox="0 0 20 28" width="20" height="28" aria-hidden="true">
                <path d="M10 1 L18 25 L10 20 Z" fill="#1b2733" />
                <path d="M10 1 L2 25 L10 20 Z" fill="#fff" stroke="#1b2733" strokeWidth="1" />
              </svg>
              <span>{t("north")}</span>
            </div>
            <div className={styles.scale} role="img" aria-label={`${t("scaleLabel")} ${scale.label}`}>
              <span className={styles.scaleZero}>0</span>
              <span className={styles.scaleBar} style={{ width: scale.px }} />
              <span>{scale.label}</span>
            </div>
            <div className={styles.attribution}>{OSM_ATTRIBUTION}</div>
          </div>
          <aside className={styles.side} style={box(SIDE_BOX)}>
            <section className={styles.legend} style={{ height: LEGEND_HEIGHT }}>
              <h2 className={styles.legendTitle}>{t("legendTitle")}</h2>
              <ul>
                {legend.map((item) => (
                  <li key={item.label}>
                    <span className={styles.swatch} style={{ background: item.color }} />
                    {item.label}
                  </li>
                ))}
              </ul>
            </section>
            <table
              className={styles.table}
              data-testid="print-table"
              style={
                {
                  position: "absolute",
                  left: TABLE_BOX.x - SIDE_BOX.x,
                  top: TABLE_BOX.y - SIDE_BOX.y,
                  width: TABLE_BOX.width,
                  "--row-height": `${rowHeight}px`,
                  "--row-font": `${tableFontSize(rowHeight)}px`,
                } as CSSProperties
              }
            >
              <thead>
                <tr>
                  {TABLE_COLUMNS.map((column) => (
                    <th key={column.key} style={{ width: column.width, textAlign: column.align }} scope="col">
                      {headers[column.key]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {listed.map((grid) => {
                  const row = cells(grid);
                  return (
                    <tr key={grid.id}>
                      {TABLE_COLUMNS.map((column) => (
                        <td
                          key={column.key}
                          style={{
                            textAlign: column.align,
                            color: column.key === "deviation" ? deviationTextColor(grid.deviation) : undefined,
                          }}
                        >
                          {row[column.key]}
                        </td>
                      ))}
                    </tr>
                  );
                })}
                {more > 0 ? (
                  <tr>
                    <td colSpan={TABLE_COLUMNS.length} className="muted">
                      {t("tableMore", { count: n(more) })}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </aside>
        </article>
      </div>
    </div>
  );
}

function box(rect: { x: number; y: number; width: number; height: number }): CSSProperties {
  return { position: "absolute", left: rect.x, top: rect.y, width: rect.width, height: rect.height };
}

function extent(data: PlanGeoJson): [number, number, number, number] | null {
  if (data.features.length === 0) return null;
  const [west, south, east, north] = bbox(data);
  return [west, south, east, north];
}
