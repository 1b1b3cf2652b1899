"use client";
import type { FeatureCollection, Position } from "geojson";
import type { MapMouseEvent } from "maplibre-gl";
import { useEffect, useMemo, useState } from "react";
import { useMapHost, useMapOverlay } from "@/components/map/map-host";
import { PLAN_PREVIEW_LAYERS, PLAN_SOURCE } from "../map/layers/plan-layer-styles";

/**
 * While a split line is drawn: the dashed segment from the last clicked point to the pointer. Its own component, so
 * pointer moves re-render only this (not the editor panel).
 */
export function SplitPreview({ last }: { last: Position }) {
  const { map } = useMapHost();
  const [cursor, setCursor] = useState<Position>();
  useEffect(() => {
    if (!map) return;
    let frame = 0;
    const onMove = (event: MapMouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setCursor([event.lngLat.lng, event.lngLat.lat]));
    };
    const onOut = () => setCursor(undefined);
    map.on("mousemove", onMove);
    map.on("mouseout", onOut);
    return () => {
      cancelAnimationFrame(frame);
      map.off("mousemove", onMove);
      map.off("mouseout", onOut);
    };
  }, [map]);
  const data = useMemo(
    (): FeatureCollection => ({
      type: "FeatureCollection",
      features: cursor
        ? [{ type: "Feature", geometry: { type: "LineString", coordinates: [last, cursor] }, properties: {} }]
        : [],
    }),
    [last, cursor],
  );
  useMapOverlay(PLAN_SOURCE.preview, data, PLAN_PREVIEW_LAYERS);
  return null;
}
