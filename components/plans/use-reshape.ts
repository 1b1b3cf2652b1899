"use client";
import type { Feature, FeatureCollection, LineString, Point, Position } from "geojson";
import type { MapLayerMouseEvent, MapLayerTouchEvent, Map as MaplibreMap } from "maplibre-gl";
import { useEffect, useMemo, useRef, useState } from "react";
import { LAYER } from "@/lib/map/ids";
import { PLAN_LAYER } from "../map/layers/plan-layer-styles";

export const SNAP_PX = 10;

/** The nearest candidate within SNAP_PX screen pixels of `point`, else undefined. */
export function snapTo(
  map: MaplibreMap,
  point: { x: number; y: number },
  candidates: readonly Position[],
): Position | undefined {
  let best: Position | undefined;
  let bestDistance = SNAP_PX;
  for (const candidate of candidates) {
    const pixel = map.project([candidate[0] ?? 0, candidate[1] ?? 0]);
    const d = Math.hypot(pixel.x - point.x, pixel.y - point.y);
    if (d <= bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

/** Building outline vertices rendered near a screen point (snapping candidates besides the grid vertices). */
function buildingVerticesNear(map: MaplibreMap, point: { x: number; y: number }): Position[] {
  if (!map.getLayer(LAYER.buildingsFill)) return [];
  const features = map.queryRenderedFeatures(
    [
      [point.x - SNAP_PX, point.y - SNAP_PX],
      [point.x + SNAP_PX, point.y + SNAP_PX],
    ],
    { layers: [LAYER.buildingsFill] },
  );
  const out: Position[] = [];
  for (const feature of features) {
    const g = feature.geometry;
    if (g.type === "Polygon") for (const ring of g.coordinates) out.push(...ring);
    else if (g.type === "MultiPolygon") for (const poly of g.coordinates) for (const ring of poly) out.push(...ring);
  }
  return out;
}

export interface ReshapeState {
  /** Current line: fixed ends, movable interior vertices. */
  line: Position[];
  moved: number;
  data: FeatureCollection<LineString | Point>;
  reset: () => void;
}

/**
 * Draggable vertex handles on the shared boundary `original` (ends fixed) with snapping to `snapCandidates` and to
 * nearby building vertices; mouse and touch. `original` undefined → no handles.
 */
export function useReshapeHandles(
  map: MaplibreMap | undefined,
  original: Position[] | undefined,
  snapCandidates: readonly Position[],
): ReshapeState {
  const [line, setLine] = useState<Position[]>(original ?? []);
  const lineRef = useRef(line);
  lineRef.current = line;
  const candidatesRef = useRef(snapCandidates);
  candidatesRef.current = snapCandidates;

  useEffect(() => {
    setLine(original ?? []);
  }, [original]);

  useEffect(() => {
    if (!map || !original || original.length < 2) return;
    let dragging: number | undefined;
    const canvas = map.getCanvas();

    const move = (point: { x: number; y: number }, lngLat: { lng: number; lat: number }) => {
      if (dragging === undefined) return;
      const index = dragging;
      const snapped = snapTo(map, point, [...candidatesRef.current, ...buildingVerticesNear(map, point)]);
      const next = [...lineRef.current];
      next[index] = snapped ?? [lngLat.lng, lngLat.lat];
      setLine(next);
    };
    const end = () => {
      if (dragging === undefined) return;
      dragging = undefined;
      map.dragPan.enable();
      canvas.style.cursor = "";
      map.off("mousemove", onMouseMove);
      map.off("touchmove", onTouchMove);
    };
    const onMouseMove = (
      event: MapLayerMouseEvent | { point: { x: number; y: number }; lngLat: { lng: number; lat: number } },
    ) => move(event.point, event.lngLat);
    const onTouchMove = (event: MapLayerTouchEvent) => {
      event.preventDefault();
      move(event.point, event.lngLat);
    };
    const start = (event: MapLayerMouseEvent | MapLayerTouchEvent) => {
      const feature = event.features?.[0];
      const index = Number(feature?.properties?.index);
      if (!feature || feature.properties?.fixed === true || !Number.isInteger(index)) return;
      event.preventDefault();
      dragging = index;
      map.dragPan.disable();
      canvas.style.cursor = "grabbing";
      map.on("mousemove", onMouseMove);
      map.on("touchmove", onTouchMove);
      map.once("mouseup", end);
      map.once("touchend", end);
    };
    const enter = () => {
      if (dragging === undefined) canvas.style.cursor = "grab";
    };
    const leave = () => {
      if (dragging === undefined) canvas.style.cursor = "";
    };
    map.on("mousedown", PLAN_LAYER.handlesCircle, start);
    map.on("touchstart", PLAN_LAYER.handlesCircle, start);
    map.on("mouseenter", PLAN_LAYER.handlesCircle, enter);
    map.on("mouseleave", PLAN_LAYER.handlesCircle, leave);
    return () => {
      end();
      map.off("mousedown", PLAN_LAYER.handlesCircle, start);
      map.off("touchstart", PLAN_LAYER.handlesCircle, start);
      map.off("mouseenter", PLAN_LAYER.handlesCircle, enter);
      map.off("mouseleave", PLAN_LAYER.handlesCircle, leave);
    };
  }, [map, original]);

  const data = useMemo((): FeatureCollection<LineString | Point> => {
    if (line.length < 2) return { type: "FeatureCollection", features: [] };
    const features: Feature<LineString | Point>[] = [
      { type: "Feature", geometry: { type: "LineString", coordinates: line }, properties: {} },
    ];
    line.forEach((p, index) => {
      const o = original?.[index];
      const moved = o !== undefined && (o[0] !== p[0] || o[1] !== p[1]);
      features.push({
        type: "Feature",
        geometry: { type: "Point", coordinates: p },
        properties: { index, fixed: index === 0 || index === line.length - 1, moved },
      });
    });
    return { type: "FeatureCollection", features };
  }, [line, original]);

  const moved = line.filter((p, i) => {
    const o = original?.[i];
    return o !== undefined && (o[0] !== p[0] || o[1] !== p[1]);
  }).length;

  return { line, moved, data, reset: () => setLine(original ?? []) };
}
