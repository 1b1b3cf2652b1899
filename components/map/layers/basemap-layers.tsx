"use client";
import { useEffect, useState } from "react";
import { useMap } from "react-map-gl/maplibre";
import { ANCHORS_BELOW_LABELS, ANCHORS_ON_TOP, BASEMAP_LAYERS, LAYER } from "@/lib/map/ids";

const ANCHOR_IDS = new Set<string>([...ANCHORS_BELOW_LABELS, ...ANCHORS_ON_TOP]);

/**
 * The basemap's layers come with the style (ours from lib/map/style.ts, or an external one); this only switches them.
 * With an external style every layer present at load (but the anchors) counts as basemap.
 */
export function BasemapLayers({ visible, external }: { visible: boolean; external: boolean }) {
  const { current: mapRef } = useMap();
  const [layerIds] = useState<readonly string[]>(() => {
    const map = mapRef?.getMap();
    if (!external || !map) return BASEMAP_LAYERS;
    return map
      .getStyle()
      .layers.map((layer) => layer.id)
      .filter((id) => !ANCHOR_IDS.has(id) && id !== LAYER.background);
  });
  useEffect(() => {
    const map = mapRef?.getMap();
    if (!map) return;
    for (const id of layerIds) {
      if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
    }
  }, [mapRef, layerIds, visible]);
  return null;
}
