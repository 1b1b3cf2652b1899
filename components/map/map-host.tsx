"use client";
import type { GeoJSONSource, LayerSpecification, Map as MaplibreMap, MapMouseEvent } from "maplibre-gl";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";

/**
 * Lets page panels (which render beside the one console map, not inside it) draw overlays on the map and take over
 * its clicks, without a second map: the console layout wraps map and pages in <MapHostProvider>, ConsoleMap
 * registers its MapLibre instance, and panels use the hooks below.
 *
 * - `useMapHost().map` — the MapLibre map once loaded (undefined before).
 * - `useMapOverlay(id, data, layers)` — a GeoJSON source + typed layers owned by the calling component; updated in
 *   place when `data` changes, removed on unmount.
 * - `useMapClickCapture(handler)` — while mounted with a handler, clicks go to the handler instead of the inspect panel
 *   (editing tools); hover tooltips stay.
 */
export type MapClickHandler = (event: MapMouseEvent) => void;

interface MapHost {
  map: MaplibreMap | undefined;
  setMap: (map: MaplibreMap | undefined) => void;
  /** The active click capture, if any (ConsoleMap checks it before selecting a feature). */
  clickCaptureRef: { current: MapClickHandler | undefined };
}

const MapHostContext = createContext<MapHost | undefined>(undefined);

export function MapHostProvider({ children }: { children: ReactNode }) {
  const [map, setMap] = useState<MaplibreMap>();
  const clickCaptureRef = useRef<MapClickHandler | undefined>(undefined);
  const value = useMemo(() => ({ map, setMap, clickCaptureRef }), [map]);
  return <MapHostContext.Provider value={value}>{children}</MapHostContext.Provider>;
}

/** The host, or a no-op host outside a provider (the public page has no panels that draw). */
export function useMapHost(): MapHost {
  const host = useContext(MapHostContext);
  return host ?? NO_HOST;
}

const NO_HOST: MapHost = { map: undefined, setMap: () => {}, clickCaptureRef: { current: undefined } };

/** Overlay layers are inserted below this layer when it exists (above grids and buildings, below labels). */
export const OVERLAY_BEFORE_LAYER = "anchor-labels";

/**
 * A GeoJSON overlay: source `id` and `layers` (each with `source: id`), created on first render with a map, data
 * replaced with setData afterwards, everything removed on unmount. Layers are inserted below the label anchor
 * unless a layer spec sets its own position via `beforeId`.
 */
export function useMapOverlay(
  id: string,
  data: GeoJSON.GeoJSON | undefined,
  layers: ReadonlyArray<LayerSpecification & { beforeId?: string }>,
  options: { promoteId?: string } = {},
): void {
  const { map } = useMapHost();
  const layersKey = JSON.stringify(layers);
  const promoteId = options.promoteId;
  // Source and layers: (re)created when the layer specs change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: layersKey stands for layers
  useEffect(() => {
    if (!map) return;
    const empty: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };
    if (!map.getSource(id)) map.addSource(id, { type: "geojson", data: empty, ...(promoteId ? { promoteId } : {}) });
    for (const { beforeId, ...layer } of layers) {
      if (map.getLayer(layer.id)) continue;
      const before = beforeId ?? (map.getLayer(OVERLAY_BEFORE_LAYER) ? OVERLAY_BEFORE_LAYER : undefined);
      map.addLayer(layer as LayerSpecification, before);
    }
    return () => {
      // The map may already be gone (navigation away from the console).
      if (!map.getStyle()) return;
      for (const layer of layers) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
      if (map.getSource(id)) map.removeSource(id);
    };
  }, [map, id, layersKey, promoteId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: layersKey re-runs after the source was re-created
  useEffect(() => {
    if (!map) return;
    const source = map.getSource(id) as GeoJSONSource | undefined;
    source?.setData(data ?? { type: "FeatureCollection", features: [] });
  }, [map, id, data, layersKey]);
}

/** While the calling component is mounted and `handler` is set, map clicks go to `handler` (not the inspect panel). */
export function useMapClickCapture(handler: MapClickHandler | undefined): void {
  const { clickCaptureRef } = useMapHost();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const active = handler !== undefined;
  useEffect(() => {
    if (!active) return;
    const capture: MapClickHandler = (event) => handlerRef.current?.(event);
    clickCaptureRef.current = capture;
    return () => {
      if (clickCaptureRef.current === capture) clickCaptureRef.current = undefined;
    };
  }, [active, clickCaptureRef]);
}
