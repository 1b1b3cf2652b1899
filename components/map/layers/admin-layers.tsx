"use client";
import { useMemo } from "react";
import { Layer, Source } from "react-map-gl/maplibre";
import { ANCHOR, LABEL_SOURCE, SOURCE } from "@/lib/map/ids";
import { labelSource, vectorSource } from "@/lib/map/sources";
import {
  adminCommunitiesFillLayer,
  adminCommunitiesLabelLayer,
  adminCommunitiesOutlineLayer,
  adminStreetsLabelLayer,
  adminStreetsOutlineLayer,
} from "./admin-layer-styles";
import { useVisibilityLayout } from "./use-visibility";

/**
 * 街道 and 社区 boundaries (public tiles) and their names, one label point each (app/api/features/admin-labels):
 * labelling the tiled polygons would repeat a name in every tile the polygon crosses.
 */
export function AdminLayers({ origin, visible }: { origin: string; visible: boolean }) {
  const source = useMemo(() => vectorSource(origin, SOURCE.admin), [origin]);
  const labels = useMemo(() => labelSource(origin, LABEL_SOURCE.adminLabels), [origin]);
  const fillLayout = useVisibilityLayout(adminCommunitiesFillLayer.layout, visible);
  const communityLayout = useVisibilityLayout(adminCommunitiesOutlineLayer.layout, visible);
  const streetLayout = useVisibilityLayout(adminStreetsOutlineLayer.layout, visible);
  const communityLabelLayout = useVisibilityLayout(adminCommunitiesLabelLayer.layout, visible);
  const streetLabelLayout = useVisibilityLayout(adminStreetsLabelLayer.layout, visible);
  return (
    <>
      <Source id={SOURCE.admin} {...source}>
        <Layer {...adminCommunitiesFillLayer} layout={fillLayout} beforeId={ANCHOR.admin} />
        <Layer {...adminCommunitiesOutlineLayer} layout={communityLayout} beforeId={ANCHOR.outlines} />
        <Layer {...adminStreetsOutlineLayer} layout={streetLayout} beforeId={ANCHOR.outlines} />
      </Source>
      <Source id={LABEL_SOURCE.adminLabels} {...labels}>
        <Layer {...adminCommunitiesLabelLayer} layout={communityLabelLayout} beforeId={ANCHOR.labels} />
        <Layer {...adminStreetsLabelLayer} layout={streetLabelLayout} beforeId={ANCHOR.labels} />
      </Source>
    </>
  );
}
