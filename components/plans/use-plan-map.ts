"use client";
import type { Map as MaplibreMap } from "maplibre-gl";
import { useEffect } from "react";
import { FEATURE_SOURCE, LAYER } from "@/lib/map/ids";
import { hatchImage, PLAN_HATCH_IMAGE } from "../map/layers/plan-layer-styles";
import type { BBox } from "./geometry";

const ACTIVE_GRID_LAYERS = [LAYER.gridsFill, LAYER.gridsOutline, LAYER.gridsLabel] as const;

/**
 * While the editor is mounted: the active plan's grid layers are hidden (so draft and active boundaries can't be
 * confused; restored on unmount), the hatch image exists, and double-click zoom is off while a line is drawn.
 */
export function useEditorMapSetup(map: MaplibreMap | undefined, hideActive: boolean, drawing: boolean): void {
  useEffect(() => {
    if (!map) return;
    if (!map.hasImage(PLAN_HATCH_IMAGE)) map.addImage(PLAN_HATCH_IMAGE, hatchImage());
  }, [map]);

  useEffect(() => {
    if (!map || !hideActive) return;
    const previous = new Map<string, string>();
    const hide = () => {
      for (const id of ACTIVE_GRID_LAYERS) {
        if (!map.getLayer(id)) continue;
        const visibility = String(map.getLayoutProperty(id, "visibility") ?? "visible");
        if (!previous.has(id)) previous.set(id, visibility);
        if (visibility !== "none") map.setLayoutProperty(id, "visibility", "none");
      }
    };
    hide();
    // The grid layers may be (re)created after a tile refresh: keep them hidden.
    map.on("styledata", hide);
    return () => {
      map.off("styledata", hide);
      if (!map.getStyle()) return;
      for (const [id, visibility] of previous)
        if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visibility === "none" ? "none" : "visible");
    };
  }, [map, hideActive]);

  useEffect(() => {
    if (!map || !drawing) return;
    const wasEnabled = map.doubleClickZoom.isEnabled();
    map.doubleClickZoom.disable();
    const canvas = map.getCanvas();
    const cursor = canvas.style.cursor;
    canvas.style.cursor = "crosshair";
    return () => {
      if (wasEnabled) map.doubleClickZoom.enable();
      canvas.style.cursor = cursor;
    };
  }, [map, drawing]);
}

/** Fits a bbox with room for the panel on the left and the layer panel on the right (desktop) or the bottom sheet. */
export function fitOnMap(map: MaplibreMap | undefined, bbox: BBox, options: { maxZoom?: number } = {}): void {
  if (!map) return;
  const { clientWidth: width, clientHeight: height } = map.getContainer();
  const wide = width > 720;
  const padding = wide
    ? { top: 60, bottom: 60, left: Math.min(600, width * 0.45), right: Math.min(290, width * 0.2) }
    : { top: 40, bottom: Math.round(height * 0.5), left: 24, right: 24 };
  const [w, s, e, n] = bbox;
  const pad = w === e && s === n ? 0.0008 : 0;
  map.fitBounds(
    [
      [w - pad, s - pad],
      [e + pad, n + pad],
    ],
    { padding, maxZoom: options.maxZoom ?? 17.5, duration: 600 },
  );
}

/** Buildings picked for a move: highlighted with the building layer's own `selected` feature-state. */
export function useBuildingHighlight(map: MaplibreMap | undefined, buildingIds: readonly number[]): void {
  const key = buildingIds.join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for buildingIds
  useEffect(() => {
    if (!map || buildingIds.length === 0) return;
    const { source, sourceLayer } = FEATURE_SOURCE.building;
    const ids = [...buildingIds];
    const apply = () => {
      if (!map.getSource(source)) return;
      for (const id of ids) map.setFeatureState({ source, sourceLayer, id }, { selected: true });
    };
    apply();
    map.on("sourcedata", apply);
    return () => {
      map.off("sourcedata", apply);
      if (!map.getStyle() || !map.getSource(source)) return;
      for (const id of ids) map.setFeatureState({ source, sourceLayer, id }, { selected: false });
    };
  }, [map, key]);
}
