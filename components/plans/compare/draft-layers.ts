import type { LayerSpecification } from "maplibre-gl";
import { gridDeviationColor } from "@/components/map/layers/grid-layer-styles";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { GRID_COLORS } from "@/lib/map/colors";
import { ANCHOR } from "@/lib/map/ids";

/** A layer spec with the anchor it is inserted below (see lib/map/ids.ts ANCHOR). */
export type AnchoredLayer = LayerSpecification & { beforeId?: string };

/**
 * A plan's grids from a GeoJSON source whose features carry `code` and `deviation_pct` (percent): filled by the same
 * deviation bands as the console's grid tiles, outlined, labelled with their code. `unchanged` (optional boolean)
 * draws a dashed outline for grids identical to an active grid.
 */
export function planGridLayers(
  source: string,
  options: { prefix: string; labelMinZoom?: number; strong?: boolean },
): AnchoredLayer[] {
  const { prefix } = options;
  const unchanged = ["boolean", ["get", "unchanged"], false] as const;
  return [
    {
      id: `${prefix}-fill`,
      type: "fill",
      source,
      paint: { "fill-color": gridDeviationColor, "fill-opacity": options.strong ? 0.42 : 0.3 },
      beforeId: ANCHOR.grids,
    },
    {
      id: `${prefix}-outline`,
      type: "line",
      source,
      filter: ["!", unchanged],
      layout: { "line-join": "round" },
      paint: { "line-color": GRID_COLORS.outline, "line-width": options.strong ? 2 : 1.6 },
      beforeId: ANCHOR.outlines,
    },
    {
      id: `${prefix}-outline-unchanged`,
      type: "line",
      source,
      filter: unchanged as unknown as ["boolean", unknown, boolean],
      layout: { "line-join": "round" },
      paint: { "line-color": GRID_COLORS.outline, "line-width": 1.4, "line-dasharray": [2, 2] },
      beforeId: ANCHOR.outlines,
    },
    {
      id: `${prefix}-label`,
      type: "symbol",
      source,
      minzoom: options.labelMinZoom ?? 14,
      layout: {
        "text-field": ["get", "code"],
        "text-font": FONT,
        "text-size": ["interpolate", ["linear"], ["zoom"], 14, 9, 18, 13],
        "text-padding": 2,
      },
      paint: { "text-color": GRID_COLORS.label, "text-halo-color": "#ffffff", "text-halo-width": 1.5 },
      beforeId: ANCHOR.labels,
    },
  ] as AnchoredLayer[];
}

/** A highlighted outline of one grid (the selected row). */
export function selectedGridLayer(id: string, source: string): AnchoredLayer {
  return {
    id,
    type: "line",
    source,
    layout: { "line-join": "round" },
    paint: { "line-color": GRID_COLORS.selected, "line-width": 4 },
  } as AnchoredLayer;
}
