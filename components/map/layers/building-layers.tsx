"use client";
import { useMemo } from "react";
import { Layer, Source } from "react-map-gl/maplibre";
import { ANCHOR, SOURCE } from "@/lib/map/ids";
import { vectorSource } from "@/lib/map/sources";
import { type BuildingColorMode, buildingsFillLayer, buildingsOutlineLayer } from "./building-layer-styles";
import { useVisibilityLayout } from "./use-visibility";

/** Building footprints from zoom 14, coloured by households or by estimated vs surveyed (signed-in tiles). */
export function BuildingLayers({
  origin,
  visible,
  colorMode,
  version,
}: {
  origin: string;
  visible: boolean;
  colorMode: BuildingColorMode;
  version?: number;
}) {
  const source = useMemo(() => vectorSource(origin, SOURCE.buildings, version), [origin, version]);
  const fill = useMemo(() => buildingsFillLayer(colorMode), [colorMode]);
  const fillLayout = useVisibilityLayout(fill.layout, visible);
  const outlineLayout = useVisibilityLayout(buildingsOutlineLayer.layout, visible);
  return (
    <Source id={SOURCE.buildings} {...source}>
      <Layer {...fill} layout={fillLayout} beforeId={ANCHOR.buildings} />
      <Layer {...buildingsOutlineLayer} layout={outlineLayout} beforeId={ANCHOR.buildings} />
    </Source>
  );
}
