import type {
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from "maplibre-gl";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { GRID_COLORS, GRID_DEVIATION } from "@/lib/map/colors";
import { LABEL_SOURCE, LAYER, SOURCE, SOURCE_LAYER } from "@/lib/map/ids";

const hovered: ExpressionSpecification = ["boolean", ["feature-state", "hover"], false];
const selected: ExpressionSpecification = ["boolean", ["feature-state", "selected"], false];

/** Blue under −10 %, green within ±10 %, orange over +10 %, red over +30 % of the household target. */
export const gridDeviationColor: ExpressionSpecification = [
  "step",
  ["to-number", ["get", "deviation_pct"], 0],
  GRID_COLORS.under,
  GRID_DEVIATION.under,
  GRID_COLORS.within,
  GRID_DEVIATION.over + 0.0001,
  GRID_COLORS.over,
  GRID_DEVIATION.farOver + 0.0001,
  GRID_COLORS.farOver,
];

export const gridsFillLayer: FillLayerSpecification = {
  id: LAYER.gridsFill,
  type: "fill",
  source: SOURCE.grids,
  "source-layer": SOURCE_LAYER.grids,
  paint: {
    "fill-color": gridDeviationColor,
    "fill-opacity": [
      "interpolate",
      ["linear"],
      ["zoom"],
      12,
      ["case", selected, 0.6, hovered, 0.55, 0.4],
      15,
      ["case", selected, 0.5, hovered, 0.42, 0.26],
      17,
      ["case", selected, 0.45, hovered, 0.3, 0.14],
    ],
  },
};

export const gridsOutlineLayer: LineLayerSpecification = {
  id: LAYER.gridsOutline,
  type: "line",
  source: SOURCE.grids,
  "source-layer": SOURCE_LAYER.grids,
  layout: { "line-join": "round" },
  paint: {
    "line-color": ["case", selected, GRID_COLORS.selected, GRID_COLORS.outline],
    "line-width": [
      "interpolate",
      ["linear"],
      ["zoom"],
      12,
      ["case", selected, 3, hovered, 1.6, 0.6],
      16,
      ["case", selected, 4.5, hovered, 2.4, 1.2],
    ],
    "line-opacity": 0.9,
  },
};

export const gridsLabelLayer: SymbolLayerSpecification = {
  id: LAYER.gridsLabel,
  type: "symbol",
  source: LABEL_SOURCE.gridLabels,
  minzoom: 15,
  layout: {
    "text-field": ["get", "code"],
    "text-font": FONT,
    "text-size": ["interpolate", ["linear"], ["zoom"], 15, 10, 18, 13],
    "text-padding": 2,
  },
  paint: {
    "text-color": GRID_COLORS.label,
    "text-halo-color": "#ffffff",
    "text-halo-width": 1.5,
  },
};
