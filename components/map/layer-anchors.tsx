"use client";
import { type ReactNode, useState } from "react";
import { useMap } from "react-map-gl/maplibre";
import { ANCHORS_BELOW_LABELS, ANCHORS_ON_TOP } from "@/lib/map/ids";
import { anchorLayer } from "@/lib/map/style";

/**
 * Makes sure the invisible z-order anchors exist before any domain layer mounts. Our own style ships them; an external
 * basemap style (NEXT_PUBLIC_BASEMAP_STYLE_URL) does not, so they are added below its first symbol layer.
 */
export function LayerAnchors({ children }: { children: ReactNode }) {
  const { current: mapRef } = useMap();
  const [ready] = useState(() => {
    const map = mapRef?.getMap();
    if (!map) return false;
    const firstSymbol = map.getStyle().layers.find((layer) => layer.type === "symbol")?.id;
    for (const id of ANCHORS_BELOW_LABELS) if (!map.getLayer(id)) map.addLayer(anchorLayer(id), firstSymbol);
    for (const id of ANCHORS_ON_TOP) if (!map.getLayer(id)) map.addLayer(anchorLayer(id));
    return true;
  });
  return ready ? children : null;
}
