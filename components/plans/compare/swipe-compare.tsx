"use client";
import type { GeoJSONSource, Map as MaplibreMap, StyleSpecification } from "maplibre-gl";
import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { buildingsFillLayer, buildingsOutlineLayer } from "@/components/map/layers/building-layer-styles";
import { useMapHost } from "@/components/map/map-host";
import { useLocale, useT } from "@/lib/i18n/client";
import { planCompareMessages } from "@/lib/i18n/messages/plans-compare";
import { ANCHOR, SOURCE } from "@/lib/map/ids";
import { vectorSource } from "@/lib/map/sources";
import { LOCAL_IDEOGRAPH_FONT_FAMILY, MAX_BOUNDS, MAX_ZOOM, MIN_ZOOM, resolveMapStyle } from "@/lib/map/style";
import styles from "./compare.module.css";
import { planGridLayers, selectedGridLayer } from "./draft-layers";

declare global {
  interface Window {
    /** The swipe's second map (the plan's side), for e2e assertions. */
    __compareMap?: MaplibreMap;
  }
}

const EXTERNAL_STYLE_URL = process.env.NEXT_PUBLIC_BASEMAP_STYLE_URL || undefined;
const PLAN_SOURCE = "compare-plan";
const SELECTED_SOURCE = "compare-selected";
const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

/**
 * The classic MapLibre swipe: a second map (basemap, buildings and the plan's grids) layered over the console map
 * inside its container, camera-synced to it, and clipped with CSS `clip-path` to the right of a draggable vertical
 * divider. The second map takes no input (pointer-events: none), so panning and zooming go to the console map; its
 * attribution, scale and zoom controls stay on top because the layer is inserted below the control container.
 * The divider follows mouse, pen and touch (pointer events with capture) and the arrow keys.
 */
export function SwipeCompare({
  plan,
  selected,
  initialFraction,
}: {
  /** The plan's grids; properties `code`, `deviation_pct`, `unchanged`. */
  plan: GeoJSON.FeatureCollection;
  /** The selected grid's feature (highlighted on the plan's side), if any. */
  selected: GeoJSON.Feature | undefined;
  /** Where the divider starts, as a fraction of the map's width. */
  initialFraction: () => number;
}) {
  const t = useT(planCompareMessages);
  const locale = useLocale();
  const { map } = useMapHost();
  const [layer, setLayer] = useState<HTMLDivElement>();
  const [overlay, setOverlay] = useState<MaplibreMap>();
  const [width, setWidth] = useState(0);
  const [x, setX] = useState<number>();
  const dragging = useRef(false);

  // The layer element: inside the console map's container, below its controls.
  useEffect(() => {
    if (!map) return;
    const container = map.getContainer();
    const element = document.createElement("div");
    element.className = styles.swipeLayer ?? "";
    element.dataset.testid = "swipe-layer";
    const controls = container.querySelector(".maplibregl-control-container");
    container.insertBefore(element, controls);
    setLayer(element);
    const measure = () => setWidth(container.clientWidth);
    measure();
    map.on("resize", measure);
    return () => {
      map.off("resize", measure);
      element.remove();
      setLayer(undefined);
    };
  }, [map]);

  // The second map, created once per layer element.
  // biome-ignore lint/correctness/useExhaustiveDependencies: locale is fixed for the life of the page's map
  useEffect(() => {
    if (!map || !layer) return;
    let cancelled = false;
    let created: MaplibreMap | undefined;
    const mapDiv = document.createElement("div");
    mapDiv.className = styles.swipeMap ?? "";
    layer.appendChild(mapDiv);
    const sync = () => {
      created?.jumpTo({
        center: map.getCenter(),
        zoom: map.getZoom(),
        bearing: map.getBearing(),
        pitch: map.getPitch(),
      });
    };
    const resize = () => created?.resize();
    void import("maplibre-gl").then(({ Map: MapClass }) => {
      if (cancelled) return;
      const origin = window.location.origin;
      const style = resolveMapStyle({ origin, locale }, EXTERNAL_STYLE_URL);
      created = new MapClass({
        container: mapDiv,
        style: style as StyleSpecification | string,
        center: map.getCenter(),
        zoom: map.getZoom(),
        minZoom: MIN_ZOOM,
        maxZoom: MAX_ZOOM,
        maxBounds: MAX_BOUNDS,
        interactive: false,
        attributionControl: false,
        localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
        fadeDuration: 0,
      });
      const overlayMap = created;
      overlayMap.on("load", () => {
        if (cancelled) return;
        const hasAnchor = (id: string) => Boolean(overlayMap.getLayer(id));
        overlayMap.addSource(SOURCE.buildings, vectorSource(origin, SOURCE.buildings));
        for (const spec of [buildingsFillLayer("households"), buildingsOutlineLayer])
          overlayMap.addLayer(spec, hasAnchor(ANCHOR.buildings) ? ANCHOR.buildings : undefined);
        overlayMap.addSource(PLAN_SOURCE, { type: "geojson", data: EMPTY });
        overlayMap.addSource(SELECTED_SOURCE, { type: "geojson", data: EMPTY });
        for (const { beforeId, ...spec } of [
          ...planGridLayers(PLAN_SOURCE, { prefix: "compare-plan", strong: true }),
          { ...selectedGridLayer("compare-selected-line", SELECTED_SOURCE), beforeId: ANCHOR.labels },
        ])
          overlayMap.addLayer(spec, beforeId && hasAnchor(beforeId) ? beforeId : undefined);
        window.__compareMap = overlayMap;
        setOverlay(overlayMap);
      });
      map.on("move", sync);
      map.on("resize", resize);
      sync();
    });
    return () => {
      cancelled = true;
      map.off("move", sync);
      map.off("resize", resize);
      if (created && window.__compareMap === created) window.__compareMap = undefined;
      created?.remove();
      mapDiv.remove();
      setOverlay(undefined);
    };
  }, [map, layer]);

  useEffect(() => {
    (overlay?.getSource(PLAN_SOURCE) as GeoJSONSource | undefined)?.setData(plan);
  }, [overlay, plan]);
  useEffect(() => {
    (overlay?.getSource(SELECTED_SOURCE) as GeoJSONSource | undefined)?.setData(
      selected ? { type: "FeatureCollection", features: [selected] } : EMPTY,
    );
  }, [overlay, selected]);

  // Divider position: starts where the page asks once the width is known, then follows the user.
  useEffect(() => {
    if (width > 0 && x === undefined) setX(Math.round(width * initialFraction()));
  }, [width, x, initialFraction]);
  const position = x === undefined ? undefined : Math.max(0, Math.min(width, x));
  useEffect(() => {
    if (!layer || position === undefined) return;
    layer.style.clipPath = `inset(0 0 0 ${position}px)`;
    layer.dataset.swipeX = String(position);
  }, [layer, position]);

  const moveTo = useCallback(
    (clientX: number) => {
      if (!map) return;
      const rect = map.getContainer().getBoundingClientRect();
      setX(Math.max(0, Math.min(rect.width, clientX - rect.left)));
    },
    [map],
  );
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    // Capture keeps the drag going when the pointer leaves the thin bar (a synthetic event has no pointer to capture).
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // no active pointer with that id
    }
    event.preventDefault();
    moveTo(event.clientX);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) moveTo(event.clientX);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (event.currentTarget.hasPointerCapture(event.pointerId))
      event.currentTarget.releasePointerCapture(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? width / 4 : width / 20;
    let next: number | undefined;
    if (event.key === "ArrowLeft") next = (position ?? 0) - step;
    else if (event.key === "ArrowRight") next = (position ?? 0) + step;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = width;
    if (next === undefined) return;
    event.preventDefault();
    setX(Math.max(0, Math.min(width, next)));
  };

  if (!layer || !map || position === undefined) return null;
  const container = map.getContainer();
  const percent = width > 0 ? Math.round((position / width) * 100) : 50;
  return createPortal(
    <div
      className={styles.swipeBar}
      style={{ left: position }}
      role="slider"
      tabIndex={0}
      aria-label={t("swipeHandle")}
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%`}
      data-testid="swipe-bar"
      data-x={position}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    >
      <span className={styles.swipeLine} aria-hidden="true" />
      <span className={styles.swipeKnob} aria-hidden="true">
        ⟨⟩
      </span>
      <span className={`${styles.swipeTag} ${styles.swipeTagLeft}`} aria-hidden="true">
        {t("swipeLeftLabel")}
      </span>
      <span className={`${styles.swipeTag} ${styles.swipeTagRight}`} aria-hidden="true">
        {t("swipeRightLabel")}
      </span>
    </div>,
    container,
  );
}
