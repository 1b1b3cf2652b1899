import type { CircleLayerSpecification, ExpressionSpecification, SymbolLayerSpecification } from "maplibre-gl";
import type { Locale } from "@/lib/i18n/core";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { STATION_COLORS } from "@/lib/map/colors";
import { LAYER, SOURCE, SOURCE_LAYER } from "@/lib/map/ids";

const hovered: ExpressionSpecification = ["boolean", ["feature-state", "hover"], false];
const selected: ExpressionSpecification = ["boolean", ["feature-state", "selected"], false];
const isDemo: ExpressionSpecification = ["==", ["get", "is_demo"], true];

export const stationKindColor: ExpressionSpecification = [
  "match",
  ["get", "kind"],
  "party_center",
  STATION_COLORS.party_center,
  "party_station",
  STATION_COLORS.party_station,
  "convenience_station",
  STATION_COLORS.convenience_station,
  "government_center",
  STATION_COLORS.government_center,
  STATION_COLORS.convenience_station,
];

export const stationsCircleLayer: CircleLayerSpecification = {
  id: LAYER.stationsCircle,
  type: "circle",
  source: SOURCE.stations,
  "source-layer": SOURCE_LAYER.stations,
  filter: ["!=", ["get", "status"], "closed"],
  paint: {
    "circle-color": stationKindColor,
    "circle-radius": [
      "interpolate",
      ["linear"],
      ["zoom"],
      11,
      ["case", selected, 7, hovered, 6, 4],
      15,
      ["case", selected, 10, hovered, 9, 6.5],
      18,
      ["case", selected, 12, hovered, 11, 8],
    ],
    "circle-stroke-color": [
      "case",
      selected,
      STATION_COLORS.selected,
      isDemo,
      STATION_COLORS.demoStroke,
      STATION_COLORS.stroke,
    ],
    "circle-stroke-width": ["case", selected, 3, 2],
    "circle-opacity": ["case", isDemo, 0.75, 1],
  },
};

export function stationsLabelLayer(locale: Locale): SymbolLayerSpecification {
  void locale; // station names are Chinese in both UIs: they are proper names
  return {
    id: LAYER.stationsLabel,
    type: "symbol",
    source: SOURCE.stations,
    "source-layer": SOURCE_LAYER.stations,
    minzoom: 14.5,
    filter: ["!=", ["get", "status"], "closed"],
    layout: {
      "text-field": ["get", "name"],
      "text-font": FONT,
      "text-size": 11,
      "text-offset": [0, 1.1],
      "text-anchor": "top",
      "text-max-width": 9,
      "text-optional": true,
    },
    paint: {
      "text-color": stationKindColor,
      "text-halo-color": "#ffffff",
      "text-halo-width": 1.6,
    },
  };
}
