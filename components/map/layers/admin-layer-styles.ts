import type { FillLayerSpecification, LineLayerSpecification, SymbolLayerSpecification } from "maplibre-gl";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { ADMIN_COLORS } from "@/lib/map/colors";
import { LABEL_SOURCE, LAYER, SOURCE, SOURCE_LAYER } from "@/lib/map/ids";

export const adminCommunitiesFillLayer: FillLayerSpecification = {
  id: LAYER.adminCommunitiesFill,
  type: "fill",
  source: SOURCE.admin,
  "source-layer": SOURCE_LAYER.communities,
  maxzoom: 15,
  paint: { "fill-color": ADMIN_COLORS.communityFill, "fill-opacity": 0.04 },
};

export const adminCommunitiesOutlineLayer: LineLayerSpecification = {
  id: LAYER.adminCommunitiesOutline,
  type: "line",
  source: SOURCE.admin,
  "source-layer": SOURCE_LAYER.communities,
  layout: { "line-join": "round" },
  paint: {
    "line-color": ADMIN_COLORS.communityLine,
    "line-width": ["interpolate", ["linear"], ["zoom"], 11, 1, 16, 2],
    "line-dasharray": [4, 2],
    "line-opacity": 0.8,
  },
};

export const adminStreetsOutlineLayer: LineLayerSpecification = {
  id: LAYER.adminStreetsOutline,
  type: "line",
  source: SOURCE.admin,
  "source-layer": SOURCE_LAYER.streets,
  layout: { "line-join": "round" },
  paint: {
    "line-color": ADMIN_COLORS.streetLine,
    "line-width": ["interpolate", ["linear"], ["zoom"], 11, 1.6, 16, 3.5],
    "line-opacity": 0.7,
  },
};

export const adminCommunitiesLabelLayer: SymbolLayerSpecification = {
  id: LAYER.adminCommunitiesLabel,
  type: "symbol",
  source: LABEL_SOURCE.adminLabels,
  filter: ["==", ["get", "level"], "community"],
  minzoom: 12.5,
  maxzoom: 17,
  layout: {
    "text-field": ["get", "name"],
    "text-font": FONT,
    "text-size": ["interpolate", ["linear"], ["zoom"], 12.5, 11, 16, 14],
    "text-max-width": 8,
    "text-padding": 8,
  },
  paint: {
    "text-color": ADMIN_COLORS.label,
    "text-halo-color": "#ffffff",
    "text-halo-width": 2,
    "text-opacity": 0.9,
  },
};

export const adminStreetsLabelLayer: SymbolLayerSpecification = {
  id: LAYER.adminStreetsLabel,
  type: "symbol",
  source: LABEL_SOURCE.adminLabels,
  filter: ["==", ["get", "level"], "street"],
  maxzoom: 14,
  layout: {
    "text-field": ["get", "name"],
    "text-font": FONT,
    "text-size": 15,
    "text-max-width": 8,
    "text-letter-spacing": 0.1,
  },
  paint: {
    "text-color": ADMIN_COLORS.streetLine,
    "text-halo-color": "#ffffff",
    "text-halo-width": 2,
  },
};
