import type {
  BackgroundLayerSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from "maplibre-gl";
import type { Locale } from "@/lib/i18n/core";
import { BASEMAP_COLORS } from "./colors";
import { LAYER, SOURCE, SOURCE_LAYER } from "./ids";

/** The only glyph fontstack we serve (public/glyphs); CJK ideographs are drawn locally. */
export const FONT = ["Noto Sans Regular"];

const WATER_KINDS = [
  "water",
  "fountain",
  "river",
  "riverbank",
  "reservoir",
  "basin",
  "pond",
  "lake",
  "canal",
  "dock",
  "moat",
];
const PARK_KINDS = [
  "park",
  "green",
  "garden",
  "grass",
  "recreation_ground",
  "village_green",
  "playground",
  "pitch",
  "meadow",
  "golf_course",
  "cemetery",
];
const FOREST_KINDS = ["forest", "wood", "scrub", "nature_reserve", "heath"];

/** The label text in the UI language: Chinese names, English where OSM has one and the UI is English. */
export function labelText(locale: Locale): ExpressionSpecification {
  return locale === "en" ? ["coalesce", ["get", "name_en"], ["get", "name"]] : ["get", "name"];
}

/** Road width in px by rank (1 motorway … 9 path) at a zoom. */
function roadWidth(scale: number): ExpressionSpecification {
  const at = (z: number): ExpressionSpecification => {
    const factor = 2 ** ((z - 16) * 0.75) * scale;
    return [
      "match",
      ["get", "rank"],
      1,
      9 * factor,
      2,
      8.5 * factor,
      3,
      8 * factor,
      4,
      6.5 * factor,
      5,
      5.5 * factor,
      6,
      4 * factor,
      7,
      2.6 * factor,
      8,
      2.2 * factor,
      1.2 * factor,
    ];
  };
  return ["interpolate", ["exponential", 1.5], ["zoom"], 10, at(10), 13, at(13), 16, at(16), 19, at(19)];
}

const isRailway: ExpressionSpecification = [
  "in",
  ["get", "kind"],
  ["literal", ["rail", "subway", "light_rail", "tram"]],
];
const isMajor: ExpressionSpecification = ["<=", ["get", "rank"], 3];

export const backgroundLayer: BackgroundLayerSpecification = {
  id: LAYER.background,
  type: "background",
  paint: { "background-color": BASEMAP_COLORS.land },
};

export const basemapAreasLayer: FillLayerSpecification = {
  id: LAYER.basemapAreas,
  type: "fill",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.areas,
  filter: ["!", ["in", ["get", "kind"], ["literal", [...WATER_KINDS, ...PARK_KINDS, ...FOREST_KINDS]]]],
  paint: {
    "fill-color": [
      "match",
      ["get", "kind"],
      ["residential"],
      BASEMAP_COLORS.residential,
      ["commercial", "retail", "marketplace"],
      BASEMAP_COLORS.commercial,
      ["industrial", "railway", "military"],
      BASEMAP_COLORS.industrial,
      ["parking"],
      BASEMAP_COLORS.parking,
      ["sports", "pitch", "stadium"],
      BASEMAP_COLORS.sports,
      ["school", "university", "college", "kindergarten", "education"],
      BASEMAP_COLORS.education,
      ["hospital", "clinic", "courthouse", "government"],
      BASEMAP_COLORS.health,
      BASEMAP_COLORS.residential,
    ],
    "fill-opacity": 0.9,
  },
};

export const basemapParksLayer: FillLayerSpecification = {
  id: LAYER.basemapParks,
  type: "fill",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.areas,
  filter: ["in", ["get", "kind"], ["literal", [...PARK_KINDS, ...FOREST_KINDS]]],
  paint: {
    "fill-color": ["match", ["get", "kind"], FOREST_KINDS, BASEMAP_COLORS.forest, BASEMAP_COLORS.park],
  },
};

export const basemapWaterLayer: FillLayerSpecification = {
  id: LAYER.basemapWater,
  type: "fill",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.areas,
  filter: ["in", ["get", "kind"], ["literal", WATER_KINDS]],
  paint: { "fill-color": BASEMAP_COLORS.water },
};

export const basemapRoadsCasingLayer: LineLayerSpecification = {
  id: LAYER.basemapRoadsCasing,
  type: "line",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.roads,
  filter: ["all", ["!", isRailway], ["<=", ["get", "rank"], 8]],
  layout: { "line-cap": "round", "line-join": "round", "line-sort-key": ["-", 10, ["get", "rank"]] },
  paint: {
    "line-color": ["case", isMajor, BASEMAP_COLORS.majorRoadCasing, BASEMAP_COLORS.roadCasing],
    "line-width": roadWidth(1.35),
    "line-opacity": ["case", ["==", ["get", "tunnel"], true], 0.4, 1],
  },
};

export const basemapRoadsLayer: LineLayerSpecification = {
  id: LAYER.basemapRoads,
  type: "line",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.roads,
  filter: ["!", isRailway],
  layout: { "line-cap": "round", "line-join": "round", "line-sort-key": ["-", 10, ["get", "rank"]] },
  paint: {
    "line-color": ["case", isMajor, BASEMAP_COLORS.majorRoadFill, BASEMAP_COLORS.roadFill],
    "line-width": roadWidth(1),
    "line-opacity": ["case", ["==", ["get", "tunnel"], true], 0.6, 1],
  },
};

export const basemapRailwaysLayer: LineLayerSpecification = {
  id: LAYER.basemapRailways,
  type: "line",
  source: SOURCE.basemap,
  "source-layer": SOURCE_LAYER.roads,
  filter: ["all", isRailway, ["!=", ["get", "tunnel"], true]],
  paint: {
    "line-color": BASEMAP_COLORS.railway,
    "line-width": ["interpolate", ["linear"], ["zoom"], 12, 1, 18, 2.5],
    "line-dasharray": [3, 2],
  },
};

export function basemapRoadsLabelLayer(locale: Locale): SymbolLayerSpecification {
  return {
    id: LAYER.basemapRoadsLabel,
    type: "symbol",
    source: SOURCE.basemap,
    "source-layer": SOURCE_LAYER.roads,
    minzoom: 13,
    filter: ["all", ["has", "name"], ["<=", ["get", "rank"], 7], ["!", isRailway]],
    layout: {
      "symbol-placement": "line",
      "text-field": labelText(locale),
      "text-font": FONT,
      "text-size": ["interpolate", ["linear"], ["zoom"], 13, 10, 17, 13],
      "text-max-angle": 30,
      "symbol-spacing": 280,
      "symbol-sort-key": ["get", "rank"],
    },
    paint: {
      "text-color": "#5b5446",
      "text-halo-color": BASEMAP_COLORS.labelHalo,
      "text-halo-width": 1.6,
    },
  };
}

export function basemapAreasLabelLayer(locale: Locale): SymbolLayerSpecification {
  return {
    id: LAYER.basemapAreasLabel,
    type: "symbol",
    source: SOURCE.basemap,
    "source-layer": SOURCE_LAYER.areas,
    minzoom: 15,
    filter: ["all", ["has", "name"], ["in", ["get", "kind"], ["literal", [...WATER_KINDS, ...PARK_KINDS]]]],
    layout: {
      "text-field": labelText(locale),
      "text-font": FONT,
      "text-size": 11,
      "text-max-width": 8,
      "symbol-placement": "point",
    },
    paint: {
      "text-color": ["match", ["get", "kind"], WATER_KINDS, BASEMAP_COLORS.waterLabel, BASEMAP_COLORS.parkLabel],
      "text-halo-color": BASEMAP_COLORS.labelHalo,
      "text-halo-width": 1.4,
    },
  };
}

export function basemapLabelsLayer(locale: Locale): SymbolLayerSpecification {
  return {
    id: LAYER.basemapLabels,
    type: "symbol",
    source: SOURCE.basemap,
    "source-layer": SOURCE_LAYER.labels,
    layout: {
      "text-field": labelText(locale),
      "text-font": FONT,
      "text-size": ["interpolate", ["linear"], ["get", "rank"], 1, 15, 4, 13, 8, 11],
      "text-max-width": 8,
      "text-padding": 4,
      "symbol-sort-key": ["get", "rank"],
    },
    paint: {
      "text-color": ["case", ["<=", ["get", "rank"], 3], "#333333", BASEMAP_COLORS.label],
      "text-halo-color": BASEMAP_COLORS.labelHalo,
      "text-halo-width": 1.5,
    },
  };
}
