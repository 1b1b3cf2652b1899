"use client";
import { useMemo } from "react";
import { Layer, Source } from "react-map-gl/maplibre";
import type { Locale } from "@/lib/i18n/core";
import { ANCHOR, SOURCE } from "@/lib/map/ids";
import { vectorSource } from "@/lib/map/sources";
import { stationsCircleLayer, stationsLabelLayer } from "./station-layer-styles";
import { useVisibilityLayout } from "./use-visibility";

/** Service stations (public tiles): a circle per station coloured by kind, names from zoom 14.5. */
export function StationLayers({
  origin,
  visible,
  locale,
  version,
}: {
  origin: string;
  visible: boolean;
  locale: Locale;
  version?: number;
}) {
  const source = useMemo(() => vectorSource(origin, SOURCE.stations, version), [origin, version]);
  const label = useMemo(() => stationsLabelLayer(locale), [locale]);
  const circleLayout = useVisibilityLayout(stationsCircleLayer.layout, visible);
  const labelLayout = useVisibilityLayout(label.layout, visible);
  return (
    <Source id={SOURCE.stations} {...source}>
      <Layer {...stationsCircleLayer} layout={circleLayout} beforeId={ANCHOR.stations} />
      <Layer {...label} layout={labelLayout} beforeId={ANCHOR.stations} />
    </Source>
  );
}
