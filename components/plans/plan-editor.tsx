"use client";
import type { Feature, FeatureCollection, LineString, Point, Position } from "geojson";
import type { MapMouseEvent } from "maplibre-gl";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMapClickCapture, useMapHost, useMapOverlay } from "@/components/map/map-host";
import { Panel } from "@/components/ui/panel";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatNumber } from "@/lib/i18n/core";
import { planMessages } from "@/lib/i18n/messages/plans";
import { LAYER } from "@/lib/map/ids";
import { requestMapRefresh } from "@/lib/map/refresh";
import type {
  CommunitySummary,
  PlanDetail,
  PlanEditRequest,
  PlanEditResponse,
  PlanGeoJson,
  PublishResponse,
  SharedBoundary,
  ValidationIssue,
} from "@/lib/plans/contract";
import {
  PLAN_DRAW_LAYERS,
  PLAN_FLASH_LAYERS,
  PLAN_GRID_LAYERS,
  PLAN_HANDLE_LAYERS,
  PLAN_ISSUE_LAYERS,
  PLAN_LABEL_LAYERS,
  PLAN_LAYER,
  PLAN_SOURCE,
} from "../map/layers/plan-layer-styles";
import { apiErrorMessage, PlanApiError, planFetch } from "./api";
import { BAND_COLOR, percent } from "./format";
import { bboxOf, planLabels, planVertices } from "./geometry";
import { GridTable } from "./grid-table";
import { PublishDialog } from "./publish-dialog";
import { SplitPreview } from "./split-preview";
import { fitOnMap, useBuildingHighlight, useEditorMapSetup } from "./use-plan-map";
import { useReshapeHandles } from "./use-reshape";
import { ValidationList } from "./validation-list";

export type Tool = "select" | "split" | "merge" | "move" | "reshape" | "rebalance";
const TOOLS: readonly Tool[] = ["select", "split", "merge", "move", "reshape", "rebalance"];
type Tab = "grids" | "validation" | "tools";
type Alert = { tone: "error" | "success" | "info"; text: string; stale?: boolean };
type DoneKey =
  | "editDone_split"
  | "editDone_merge"
  | "editDone_move"
  | "editDone_reshape"
  | "editDone_rebalance"
  | "editDone_undo"
  | "editDone_redo";

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };
const PAIR_TOOLS: readonly Tool[] = ["merge", "reshape", "rebalance"];

/** /plans/[planId]: summary, grid table, validation, edit tools, undo/redo and publishing over the draft overlay. */
export function PlanEditor({ planId }: { planId: number }) {
  const t = useT(planMessages);
  const locale = useLocale();
  const { map } = useMapHost();
  const n = (value: number, digits = 0) =>
    formatNumber(value, locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });

  const [detail, setDetail] = useState<PlanDetail>();
  const [geojson, setGeojson] = useState<PlanGeoJson>();
  const [communities, setCommunities] = useState<CommunitySummary[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [tab, setTab] = useState<Tab>("grids");
  const [tool, setTool] = useState<Tool>("select");
  const [selected, setSelected] = useState<number[]>([]);
  const [hovered, setHovered] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<Alert>();
  const [linePoints, setLinePoints] = useState<Position[]>([]);
  const [buildingIds, setBuildingIds] = useState<number[]>([]);
  const [choosingTarget, setChoosingTarget] = useState(false);
  const [shared, setShared] = useState<{ key: string; line: Position[] }>();
  const [flash, setFlash] = useState<GeoJSON.Geometry>();
  const [publishOpen, setPublishOpen] = useState(false);
  const [publishError, setPublishError] = useState<string>();
  const [published, setPublished] = useState<PublishResponse>();
  const fittedRef = useRef(false);

  const editable = detail?.status === "draft" && !published;

  // ---------- data ----------
  const loadAll = useCallback(async () => {
    try {
      const [plan, shape, list] = await Promise.all([
        planFetch<PlanDetail>(`/api/plans/${planId}`),
        planFetch<PlanGeoJson>(`/api/plans/${planId}/geojson`),
        planFetch<CommunitySummary[]>("/api/communities"),
      ]);
      setDetail(plan);
      setGeojson(shape);
      setCommunities(list);
      setLoadError(undefined);
    } catch (error) {
      setLoadError(apiErrorMessage(error, t, locale));
    }
  }, [planId, t, locale]);

  useEffect(() => {
    void loadAll();
  }, [loadAll]);

  // Fit the whole plan once it is first shown.
  useEffect(() => {
    if (!map || !geojson || fittedRef.current || geojson.features.length === 0) return;
    fittedRef.current = true;
    const boxes = geojson.features.map((f) => bboxOf(f.geometry));
    fitOnMap(map, [
      Math.min(...boxes.map((b) => b[0])),
      Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])),
      Math.max(...boxes.map((b) => b[3])),
    ]);
  }, [map, geojson]);

  // ---------- map overlay ----------
  useEditorMapSetup(map, !published, tool === "split" && selected.length === 1);
  useMapOverlay(PLAN_SOURCE.grids, geojson, PLAN_GRID_LAYERS, { promoteId: "id" });
  const labels = useMemo(() => (geojson ? planLabels(geojson) : undefined), [geojson]);
  useMapOverlay(PLAN_SOURCE.labels, labels, PLAN_LABEL_LAYERS);
  const issues = useMemo((): FeatureCollection | undefined => {
    if (!detail) return undefined;
    return {
      type: "FeatureCollection",
      features: detail.validation.map((issue, index) => ({
        type: "Feature",
        id: index,
        geometry: issue.geometry,
        properties: { kind: issue.kind, severity: issue.severity },
      })),
    };
  }, [detail]);
  useMapOverlay(PLAN_SOURCE.issues, issues, PLAN_ISSUE_LAYERS);
  const flashData = useMemo(
    (): FeatureCollection =>
      flash ? { type: "FeatureCollection", features: [{ type: "Feature", geometry: flash, properties: {} }] } : EMPTY,
    [flash],
  );
  useMapOverlay(PLAN_SOURCE.flash, flashData, PLAN_FLASH_LAYERS);
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => setFlash(undefined), 2400);
    return () => clearTimeout(timer);
  }, [flash]);
  const drawData = useMemo((): FeatureCollection<LineString | Point> => {
    const features: Feature<LineString | Point>[] = linePoints.map((p) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: p },
      properties: {},
    }));
    if (linePoints.length >= 2)
      features.unshift({ type: "Feature", geometry: { type: "LineString", coordinates: linePoints }, properties: {} });
    return { type: "FeatureCollection", features };
  }, [linePoints]);
  useMapOverlay(PLAN_SOURCE.draw, drawData, PLAN_DRAW_LAYERS);

  // Selected / hovered draft grids through feature-state (promoteId "id").
  const selectedKey = selected.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: selectedKey stands for selected; geojson re-applies after setData
  useEffect(() => {
    if (!map?.getSource(PLAN_SOURCE.grids)) return;
    const ids = [...selected];
    for (const id of ids) map.setFeatureState({ source: PLAN_SOURCE.grids, id }, { selected: true });
    return () => {
      if (!map.getStyle() || !map.getSource(PLAN_SOURCE.grids)) return;
      for (const id of ids) map.setFeatureState({ source: PLAN_SOURCE.grids, id }, { selected: false });
    };
  }, [map, selectedKey, geojson]);

  useEffect(() => {
    if (!map) return;
    let current: number | undefined;
    const set = (id: number | undefined) => {
      if (id === current) return;
      if (current !== undefined && map.getSource(PLAN_SOURCE.grids))
        map.setFeatureState({ source: PLAN_SOURCE.grids, id: current }, { hover: false });
      current = id;
      if (id !== undefined) map.setFeatureState({ source: PLAN_SOURCE.grids, id }, { hover: true });
      setHovered(id);
    };
    const onMove = (event: MapMouseEvent) => {
      if (!map.getLayer(PLAN_LAYER.gridsFill)) return;
      const feature = map.queryRenderedFeatures(event.point, { layers: [PLAN_LAYER.gridsFill] })[0];
      const id = Number(feature?.properties?.id);
      set(Number.isInteger(id) ? id : undefined);
    };
    const onOut = () => set(undefined);
    map.on("mousemove", onMove);
    map.on("mouseout", onOut);
    return () => {
      map.off("mousemove", onMove);
      map.off("mouseout", onOut);
      if (current !== undefined && map.getStyle() && map.getSource(PLAN_SOURCE.grids))
        map.setFeatureState({ source: PLAN_SOURCE.grids, id: current }, { hover: false });
    };
  }, [map]);

  useBuildingHighlight(map, buildingIds);

  // ---------- reshape handles ----------
  const pairKey = selected.length === 2 ? `${selected[0]}-${selected[1]}` : undefined;
  useEffect(() => {
    if (tool !== "reshape" || !pairKey || !editable) {
      setShared(undefined);
      return;
    }
    let cancelled = false;
    const [a, b] = pairKey.split("-");
    setShared(undefined);
    planFetch<SharedBoundary>(`/api/plans/${planId}/shared-boundary?a=${a}&b=${b}`)
      .then((answer) => {
        if (!cancelled) setShared({ key: pairKey, line: answer.line });
      })
      .catch((error) => {
        if (!cancelled) setAlert({ tone: "error", text: apiErrorMessage(error, t, locale) });
      });
    return () => {
      cancelled = true;
    };
  }, [tool, pairKey, planId, editable, t, locale]);
  const snapCandidates = useMemo(() => {
    if (!geojson || !shared) return [];
    const own = new Set(shared.line.map((p) => `${p[0]},${p[1]}`));
    return planVertices(geojson).filter((p) => !own.has(`${p[0]},${p[1]}`));
  }, [geojson, shared]);
  const reshape = useReshapeHandles(map, shared?.line, snapCandidates);
  useMapOverlay(PLAN_SOURCE.handles, shared ? reshape.data : EMPTY, PLAN_HANDLE_LAYERS);

  // ---------- edits ----------
  const applyResponse = useCallback(
    async (answer: PlanEditResponse, done: DoneKey) => {
      setDetail(answer.plan);
      setAlert({ tone: "success", text: t(done, { added: answer.addedGridIds.length }) });
      try {
        setGeojson(await planFetch<PlanGeoJson>(`/api/plans/${planId}/geojson`));
      } catch (error) {
        setAlert({ tone: "error", text: apiErrorMessage(error, t, locale) });
      }
      const added = answer.addedGridIds.filter((id) => answer.plan.grids.some((g) => g.id === id));
      setSelected(added.slice(0, 2));
    },
    [planId, t, locale],
  );

  const fail = useCallback(
    (error: unknown) => {
      const stale = error instanceof PlanApiError && error.stale;
      setAlert({ tone: "error", text: apiErrorMessage(error, t, locale), stale });
    },
    [t, locale],
  );

  const runEdit = useCallback(
    async (request: PlanEditRequest, done: DoneKey) => {
      if (!detail || busy) return;
      setBusy(true);
      setAlert({ tone: "info", text: t("working") });
      try {
        const answer = await planFetch<PlanEditResponse>(`/api/plans/${planId}/edits`, {
          method: "POST",
          body: request,
        });
        setLinePoints([]);
        setBuildingIds([]);
        setChoosingTarget(false);
        await applyResponse(answer, done);
      } catch (error) {
        fail(error);
      } finally {
        setBusy(false);
      }
    },
    [detail, busy, planId, applyResponse, fail, t],
  );

  const undoRedo = useCallback(
    async (which: "undo" | "redo") => {
      if (!detail || busy || !editable) return;
      if (which === "undo" ? !detail.canUndo : !detail.canRedo) return;
      setBusy(true);
      try {
        const answer = await planFetch<PlanEditResponse>(`/api/plans/${planId}/${which}`, {
          method: "POST",
          body: { version: detail.version },
        });
        setLinePoints([]);
        await applyResponse(answer, which === "undo" ? "editDone_undo" : "editDone_redo");
      } catch (error) {
        fail(error);
      } finally {
        setBusy(false);
      }
    },
    [detail, busy, editable, planId, applyResponse, fail],
  );

  const finishSplit = useCallback(() => {
    if (!detail) return;
    const gridId = selected[0];
    if (gridId === undefined) {
      setAlert({ tone: "error", text: t("pickOneGrid") });
      return;
    }
    if (linePoints.length < 2) {
      setAlert({ tone: "error", text: t("lineTooShort") });
      return;
    }
    void runEdit(
      { op: "split", version: detail.version, gridId, line: linePoints.map((p) => [p[0] ?? 0, p[1] ?? 0]) },
      "editDone_split",
    );
  }, [detail, selected, linePoints, runEdit, t]);

  const pairEdit = useCallback(
    (op: "merge" | "rebalance") => {
      if (!detail) return;
      const [a, b] = selected;
      if (a === undefined || b === undefined) {
        setAlert({ tone: "error", text: t("pickTwoAdjacent") });
        return;
      }
      void runEdit(
        { op, version: detail.version, gridIds: [a, b] },
        op === "merge" ? "editDone_merge" : "editDone_rebalance",
      );
    },
    [detail, selected, runEdit, t],
  );

  const applyReshape = useCallback(() => {
    const [a, b] = selected;
    if (!detail || a === undefined || b === undefined || reshape.line.length < 2) return;
    void runEdit(
      {
        op: "reshape",
        version: detail.version,
        gridIds: [a, b],
        line: reshape.line.map((p) => [p[0] ?? 0, p[1] ?? 0]),
      },
      "editDone_reshape",
    );
  }, [detail, selected, reshape.line, runEdit]);

  // ---------- selection ----------
  const focusGrid = useCallback(
    (gridId: number) => {
      const feature = geojson?.features.find((f) => f.properties.id === gridId);
      if (feature) fitOnMap(map, bboxOf(feature.geometry));
    },
    [geojson, map],
  );

  const pickGrid = useCallback(
    (gridId: number, fromTable: boolean) => {
      setLinePoints([]);
      setSelected((previous) => {
        if (PAIR_TOOLS.includes(tool)) {
          if (previous.includes(gridId)) return previous.filter((id) => id !== gridId);
          return [...previous, gridId].slice(-2);
        }
        return [gridId];
      });
      if (fromTable) focusGrid(gridId);
    },
    [tool, focusGrid],
  );

  const changeTool = (next: Tool) => {
    setTool(next);
    setLinePoints([]);
    setBuildingIds([]);
    setChoosingTarget(false);
    setSelected((previous) => (PAIR_TOOLS.includes(next) ? previous.slice(0, 2) : previous.slice(0, 1)));
  };

  // Map clicks belong to the editor while it is open (the inspect panel would otherwise open).
  const onMapClick = useCallback(
    (event: MapMouseEvent) => {
      if (!map) return;
      const gridAt = () => {
        if (!map.getLayer(PLAN_LAYER.gridsFill)) return undefined;
        const feature = map.queryRenderedFeatures(event.point, { layers: [PLAN_LAYER.gridsFill] })[0];
        const id = Number(feature?.properties?.id);
        return Number.isInteger(id) ? id : undefined;
      };
      if (editable && tool === "split" && selected.length === 1) {
        const point: Position = [event.lngLat.lng, event.lngLat.lat];
        setLinePoints((previous) => {
          const last = previous[previous.length - 1];
          if (last) {
            const p = map.project([last[0] ?? 0, last[1] ?? 0]);
            // The second click of a double-click lands on the same spot: not a new vertex.
            if (Math.hypot(p.x - event.point.x, p.y - event.point.y) < 4) return previous;
          }
          return [...previous, point];
        });
        return;
      }
      if (editable && tool === "move" && !choosingTarget) {
        const building = map.getLayer(LAYER.buildingsFill)
          ? map.queryRenderedFeatures(event.point, { layers: [LAYER.buildingsFill] })[0]
          : undefined;
        const id = Number(building?.id);
        if (Number.isInteger(id) && id > 0)
          setBuildingIds((previous) => (previous.includes(id) ? previous.filter((b) => b !== id) : [...previous, id]));
        return;
      }
      const gridId = gridAt();
      if (editable && tool === "move" && choosingTarget) {
        if (gridId !== undefined && detail)
          void runEdit(
            { op: "move_buildings", version: detail.version, buildingIds, toGridId: gridId },
            "editDone_move",
          );
        return;
      }
      if (gridId === undefined) {
        if (!PAIR_TOOLS.includes(tool)) setSelected([]);
        return;
      }
      pickGrid(gridId, false);
    },
    [map, editable, tool, selected, choosingTarget, buildingIds, detail, runEdit, pickGrid],
  );
  useMapClickCapture(detail ? onMapClick : undefined);

  // Double-click finishes a split line.
  useEffect(() => {
    if (!map || tool !== "split") return;
    const onDblClick = (event: MapMouseEvent) => {
      event.preventDefault();
      finishSplit();
    };
    map.on("dblclick", onDblClick);
    return () => {
      map.off("dblclick", onDblClick);
    };
  }, [map, tool, finishSplit]);

  // Keyboard: Enter finishes the line, Esc cancels, Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true'], dialog")) return;
      if (tool === "split" && linePoints.length > 0) {
        if (event.key === "Enter") {
          event.preventDefault();
          finishSplit();
          return;
        }
        if (event.key === "Escape") {
          event.preventDefault();
          setLinePoints([]);
          return;
        }
      }
      if (event.key === "Escape" && choosingTarget) {
        setChoosingTarget(false);
        return;
      }
      const mod = event.ctrlKey || event.metaKey;
      if (mod && (event.key === "z" || event.key === "Z")) {
        event.preventDefault();
        void undoRedo(event.shiftKey ? "redo" : "undo");
      } else if (mod && (event.key === "y" || event.key === "Y")) {
        event.preventDefault();
        void undoRedo("redo");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [tool, linePoints.length, choosingTarget, finishSplit, undoRedo]);

  // ---------- validation and publishing ----------
  const showIssue = useCallback(
    (issue: ValidationIssue) => {
      fitOnMap(map, issue.bbox);
      setFlash(undefined);
      // A new object each time, so clicking the same issue flashes again.
      requestAnimationFrame(() => setFlash({ ...issue.geometry } as GeoJSON.Geometry));
      if (issue.gridIds.length > 0) setSelected(issue.gridIds.slice(0, 2));
    },
    [map],
  );

  const errors = detail?.validation.filter((i) => i.severity === "error").length ?? 0;
  const planCommunities = useMemo(
    () => communities.filter((c) => detail?.communityIds.includes(c.id)),
    [communities, detail],
  );

  async function publish() {
    if (!detail) return;
    setBusy(true);
    setPublishError(undefined);
    try {
      const answer = await planFetch<PublishResponse>(`/api/plans/${planId}/publish`, {
        method: "POST",
        body: { version: detail.version },
      });
      setPublished(answer);
      requestMapRefresh();
      setDetail({ ...detail, status: "active", publishedAt: answer.publishedAt });
      setTool("select");
    } catch (error) {
      setPublishError(apiErrorMessage(error, t, locale));
    } finally {
      setBusy(false);
    }
  }

  // ---------- render ----------
  if (loadError && !detail) {
    return (
      <Panel title={t("title")} size="auto">
        <div className="alert alert-error" role="alert">
          {t("loadFailed", { message: loadError })}{" "}
          <button type="button" className="btn btn-small" onClick={() => void loadAll()}>
            {t("retry")}
          </button>
        </div>
        <p>
          <Link href="/plans">{t("backToPlans")}</Link>
        </p>
      </Panel>
    );
  }
  if (!detail) {
    return (
      <Panel title={t("title")} size="auto">
        <p className="muted" role="status">
          {t("loading")}
        </p>
      </Panel>
    );
  }

  const totals = detail.totals;
  const selectedCodes = selected
    .map((id) => detail.grids.find((g) => g.id === id)?.code.slice(-4))
    .filter(Boolean)
    .join("、");
  const statusLabel =
    detail.status === "draft" ? t("statusDraft") : detail.status === "active" ? t("statusActive") : t("statusArchived");

  return (
    <Panel
      title={detail.name}
      subtitle={
        <>
          <Link href="/plans">{t("backToPlans")}</Link> · {statusLabel} ·{" "}
          {t("versionLabel", { version: detail.version })}
        </>
      }
      actions={
        editable ? (
          <span className="plan-undo">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void undoRedo("undo")}
              disabled={!detail.canUndo || busy}
              title={t("undoHint")}
              data-testid="undo"
            >
              {t("undo")}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void undoRedo("redo")}
              disabled={!detail.canRedo || busy}
              title={t("redoHint")}
              data-testid="redo"
            >
              {t("redo")}
            </button>
          </span>
        ) : null
      }
      footer={
        <div className="plan-legend">
          <span className="plan-legend-title">{t("legendTitle")}</span>
          {(
            [
              ["under", "legendUnder"],
              ["within", "legendWithin"],
              ["over", "legendOver"],
              ["farOver", "legendFarOver"],
            ] as const
          ).map(([band, key]) => (
            <span key={band} className="legend-item">
              <span className="legend-swatch" style={{ background: BAND_COLOR[band] }} aria-hidden="true" />
              {t(key)}
            </span>
          ))}
          <span className="legend-item">
            <span className="legend-swatch legend-swatch-issue" aria-hidden="true" />
            {t("legendIssue")}
          </span>
          {!published ? <span className="legend-item muted">{t("legendActiveHidden")}</span> : null}
        </div>
      }
    >
      <div className="plan-editor" data-testid="plan-editor" data-version={detail.version} data-status={detail.status}>
        <dl className="plan-stats" data-testid="plan-stats">
          <div>
            <dt>{t("statGrids")}</dt>
            <dd data-testid="stat-grids">{n(totals.grids)}</dd>
          </div>
          <div>
            <dt>{t("statHouseholds")}</dt>
            <dd>{n(totals.households)}</dd>
          </div>
          <div>
            <dt>{t("statWithin5")}</dt>
            <dd>{percent(totals.within5, totals.grids, locale)}%</dd>
          </div>
          <div>
            <dt>{t("statWithin10")}</dt>
            <dd>{percent(totals.within10, totals.grids, locale)}%</dd>
          </div>
          <div className="plan-stat-wide">
            <dt>{t("statCompactness")}</dt>
            <dd>
              {n(totals.meanCompactness, 2)} / {n(totals.minCompactness, 2)}
            </dd>
          </div>
        </dl>

        <div className="plan-links">
          <Link href={`/plans/${planId}/compare`}>{t("compare")}</Link>
          <Link href={`/plans/${planId}/print`}>{t("print")}</Link>
          <a href={`/api/plans/${planId}/geojson`} download={`plan-${planId}.geojson`}>
            {t("downloadGeojson")}
          </a>
        </div>

        <div aria-live="polite" className="plan-alert">
          {alert ? (
            <div
              className={`alert alert-${alert.tone}`}
              role={alert.tone === "error" ? "alert" : "status"}
              data-testid="plan-alert"
            >
              {alert.text}
              {alert.stale ? (
                <>
                  {" "}
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setAlert(undefined);
                      void loadAll();
                    }}
                  >
                    {t("reload")}
                  </button>
                </>
              ) : null}
            </div>
          ) : null}
        </div>

        {!editable && !published ? <p className="alert alert-info">{t("readOnly", { status: statusLabel })}</p> : null}

        {editable ? (
          <div className="plan-publish">
            <button
              type="button"
              className="btn btn-primary"
              disabled={errors > 0 || busy}
              onClick={() => {
                setPublishError(undefined);
                setPublishOpen(true);
              }}
              data-testid="publish"
            >
              {t("publish")}
            </button>
            {errors > 0 ? <span className="small deviation-far-over">{t("publishBlocked")}</span> : null}
          </div>
        ) : null}

        <div className="tabs" role="tablist" aria-label={t("tabsLabel")}>
          {(["grids", "validation", "tools"] as const).map((key) => (
            <button
              key={key}
              type="button"
              role="tab"
              id={`plan-tab-${key}`}
              aria-selected={tab === key}
              aria-controls={`plan-tabpanel-${key}`}
              className="tab"
              onClick={() => setTab(key)}
              data-testid={`tab-${key}`}
            >
              {key === "grids"
                ? t("tabGrids")
                : key === "validation"
                  ? `${t("tabValidation")}${errors > 0 ? ` (${errors})` : ""}`
                  : t("tabTools")}
            </button>
          ))}
        </div>

        <div role="tabpanel" id={`plan-tabpanel-${tab}`} aria-labelledby={`plan-tab-${tab}`} className="tabpanel">
          {tab === "grids" ? (
            <GridTable
              grids={detail.grids}
              selected={selected}
              hovered={hovered}
              onSelect={(id) => pickGrid(id, true)}
            />
          ) : tab === "validation" ? (
            <ValidationList issues={detail.validation} grids={detail.grids} onShow={showIssue} />
          ) : (
            <div className="plan-pad plan-tools" data-testid="plan-tools">
              <div className="tool-buttons" role="toolbar" aria-label={t("toolsLabel")}>
                {TOOLS.map((key) => (
                  <button
                    key={key}
                    type="button"
                    aria-pressed={tool === key}
                    className="tool-btn"
                    disabled={!editable || busy}
                    onClick={() => changeTool(key)}
                    data-testid={`tool-${key}`}
                  >
                    {t(`tool_${key}`)}
                  </button>
                ))}
              </div>
              <p className="small muted">{t(`help_${tool}`)}</p>
              <p className="small" data-testid="selection">
                {selectedCodes ? t("selectedGrid", { codes: selectedCodes }) : t("noSelection")}
                {selected.length > 0 ? (
                  <>
                    {" "}
                    <button type="button" className="link-btn" onClick={() => setSelected([])}>
                      {t("clearSelection")}
                    </button>
                  </>
                ) : null}
              </p>
              {editable && tool === "split" ? (
                <div className="tool-actions">
                  <span className="small" data-testid="line-points">
                    {t("linePoints", { count: linePoints.length })}
                  </span>
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    onClick={finishSplit}
                    disabled={busy || linePoints.length < 2 || selected.length !== 1}
                    data-testid="finish-split"
                  >
                    {t("finishLine")}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setLinePoints([])}
                    disabled={linePoints.length === 0}
                  >
                    {t("cancel")}
                  </button>
                </div>
              ) : null}
              {editable && (tool === "merge" || tool === "rebalance") ? (
                <div className="tool-actions">
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    onClick={() => pairEdit(tool)}
                    disabled={busy || selected.length !== 2}
                    data-testid={`apply-${tool}`}
                  >
                    {tool === "merge" ? t("mergeAction") : t("rebalanceAction")}
                  </button>
                </div>
              ) : null}
              {editable && tool === "move" ? (
                <div className="tool-actions">
                  <span className="small">{t("selectedBuildings", { count: buildingIds.length })}</span>
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    onClick={() => setChoosingTarget(true)}
                    disabled={busy || buildingIds.length === 0 || choosingTarget}
                  >
                    {choosingTarget ? t("choosingTarget") : t("chooseTarget")}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setBuildingIds([]);
                      setChoosingTarget(false);
                    }}
                    disabled={buildingIds.length === 0}
                  >
                    {t("cancel")}
                  </button>
                </div>
              ) : null}
              {editable && tool === "reshape" && selected.length === 2 ? (
                <div className="tool-actions">
                  {shared ? (
                    <>
                      <span className="small">
                        {t("reshapeHandles", { count: Math.max(0, shared.line.length - 2), moved: reshape.moved })}
                      </span>
                      <button
                        type="button"
                        className="btn btn-small btn-primary"
                        onClick={applyReshape}
                        disabled={busy || reshape.moved === 0}
                      >
                        {t("reshapeApply")}
                      </button>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={reshape.reset}
                        disabled={reshape.moved === 0}
                      >
                        {t("reshapeReset")}
                      </button>
                    </>
                  ) : (
                    <span className="small muted">{t("reshapeLoading")}</span>
                  )}
                </div>
              ) : null}
            </div>
          )}
        </div>
      </div>

      {editable && tool === "split" && linePoints.length > 0 ? (
        <SplitPreview last={linePoints[linePoints.length - 1] as Position} />
      ) : null}
      {publishOpen ? (
        <PublishDialog
          communityNames={planCommunities.map((c) => c.name)}
          retiring={planCommunities.reduce((sum, c) => sum + c.activeGrids, 0)}
          newGrids={detail.grids.length}
          busy={busy}
          error={publishError}
          result={published}
          onConfirm={() => void publish()}
          onClose={() => setPublishOpen(false)}
        />
      ) : null}
    </Panel>
  );
}
