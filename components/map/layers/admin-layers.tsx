"use client";
import { useMemo } from "react";
import { Layer, Source } from "react-map-gl/maplibre";
import { ANCHOR, SOURCE } from "@/lib/map/ids";
import { vectorSource } from "@/lib/map/sources";
import {
  adminCommunitiesFillLayer,
  adminCommunitiesLabelLayer,
  adminCommunitiesOutlineLayer,
  adminStreetsOutlineLayer,
} from "./admin-layer-styles";
import { useVisibilityLayout } from "./use-visibility";

/** 街道 and 社区 boundaries with community names (public tiles). */
export function AdminLayers({ origin, visible }: { origin: string; visible: boolean }) {
  const source = useMemo(() => vectorSource(origin, SOURCE.admin), [origin]);
  const fillLayout = useVisibilityLayout(adminCommunitiesFillLayer.layout, visible);
  const communityLayout = useVisibilityLayout(adminCommunitiesOutlineLayer.layout, visible);
  const streetLayout = useVisibilityLayout(adminStreetsOutlineLayer.layout, visible);
  const labelLayout = useVisibilityLayout(adminCommunitiesLabelLayer.layout, visible);
  return (
    <Source id={SOURCE.admin} {...source}>
      <Layer {...adminCommunitiesFillLayer} layout={fillLayout} beforeId={ANCHOR.admin} />
      <Layer {...adminCommunitiesOutlineLayer} layout={communityLayout} beforeId={ANCHOR.outlines} />
      <Layer {...adminStreetsOutlineLayer} layout={streetLayout} beforeId={ANCHOR.outlines} />
      <Layer {...adminCommunitiesLabelLayer} layout={labelLayout} beforeId={ANCHOR.labels} />
    </Source>
  );
}
