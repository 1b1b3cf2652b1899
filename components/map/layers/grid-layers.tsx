"use client";
import { useMemo } from "react";
import { Layer, Source } from "react-map-gl/maplibre";
import { ANCHOR, LABEL_SOURCE, SOURCE } from "@/lib/map/ids";
import { labelSource, vectorSource } from "@/lib/map/sources";
import { gridsFillLayer, gridsLabelLayer, gridsOutlineLayer } from "./grid-layer-styles";
import { useVisibilityLayout } from "./use-visibility";

/**
 * Grids coloured by deviation from their household target with outlines (signed-in tiles), and their codes from one
 * label point per grid (app/api/features/grid-labels). `version` refetches both after a redraw.
 */
export function GridLayers({ origin, visible, version }: { origin: string; visible: boolean; version?: number }) {
  const source = useMemo(() => vectorSource(origin, SOURCE.grids, version), [origin, version]);
  const labels = useMemo(() => labelSource(origin, LABEL_SOURCE.gridLabels, version), [origin, version]);
  const fillLayout = useVisibilityLayout(gridsFillLayer.layout, visible);
  const outlineLayout = useVisibilityLayout(gridsOutlineLayer.layout, visible);
  const labelLayout = useVisibilityLayout(gridsLabelLayer.layout, visible);
  return (
    <>
      <Source id={SOURCE.grids} {...source}>
        <Layer {...gridsFillLayer} layout={fillLayout} beforeId={ANCHOR.grids} />
        <Layer {...gridsOutlineLayer} layout={outlineLayout} beforeId={ANCHOR.outlines} />
      </Source>
      <Source id={LABEL_SOURCE.gridLabels} {...labels}>
        <Layer {...gridsLabelLayer} layout={labelLayout} beforeId={ANCHOR.labels} />
      </Source>
    </>
  );
}
