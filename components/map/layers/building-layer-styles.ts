import type { ExpressionSpecification, FillLayerSpecification, LineLayerSpecification } from "maplibre-gl";
import { BUILDING_COLORS, BUILDING_HOUSEHOLDS } from "@/lib/map/colors";
import { LAYER, SOURCE, SOURCE_LAYER } from "@/lib/map/ids";

/** How building footprints are coloured: by household count, or by estimated vs surveyed households. */
export type BuildingColorMode = "households" | "source";

const hovered: ExpressionSpecification = ["boolean", ["feature-state", "hover"], false];
const selected: ExpressionSpecification = ["boolean", ["feature-state", "selected"], false];
const residential: ExpressionSpecification = ["==", ["get", "residential"], true];

export function buildingColor(mode: BuildingColorMode): ExpressionSpecification {
  const byData: ExpressionSpecification =
    mode === "source"
      ? ["match", ["get", "households_source"], "surveyed", BUILDING_COLORS.surveyed, BUILDING_COLORS.estimated]
      : [
          "step",
          ["to-number", ["get", "households"], 0],
          BUILDING_COLORS.few,
          BUILDING_HOUSEHOLDS.some,
          BUILDING_COLORS.some,
          BUILDING_HOUSEHOLDS.many,
          BUILDING_COLORS.many,
        ];
  return [
    "case",
    selected,
    BUILDING_COLORS.selected,
    hovered,
    BUILDING_COLORS.hover,
    residential,
    byData,
    BUILDING_COLORS.nonResidential,
  ];
}

export function buildingsFillLayer(mode: BuildingColorMode): FillLayerSpecification {
  return {
    id: LAYER.buildingsFill,
    type: "fill",
    source: SOURCE.buildings,
    "source-layer": SOURCE_LAYER.buildings,
    minzoom: 14,
    paint: {
      "fill-color": buildingColor(mode),
      "fill-opacity": ["case", selected, 0.85, hovered, 0.85, 0.75],
    },
  };
}

export const buildingsOutlineLayer: LineLayerSpecification = {
  id: LAYER.buildingsOutline,
  type: "line",
  source: SOURCE.buildings,
  "source-layer": SOURCE_LAYER.buildings,
  minzoom: 15,
  paint: {
    "line-color": ["case", selected, BUILDING_COLORS.selected, BUILDING_COLORS.outline],
    "line-width": ["case", selected, 2.5, 0.5],
    "line-opacity": ["interpolate", ["linear"], ["zoom"], 15, 0.4, 17, 0.8],
  },
};
