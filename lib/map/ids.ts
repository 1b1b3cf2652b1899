/** Every source, source-layer and layer id of the console map, in one place (docs/contracts.md). */

export const SOURCE = {
  basemap: "basemap",
  admin: "admin",
  grids: "grids",
  buildings: "buildings",
  stations: "stations",
} as const;
export type SourceId = (typeof SOURCE)[keyof typeof SOURCE];

/** GeoJSON label points (one per polygon, so names don't repeat at tile edges). */
export const LABEL_SOURCE = {
  adminLabels: "admin-labels",
  gridLabels: "grid-labels",
} as const;

/** Source-layers inside the MVT of each tile layer. */
export const SOURCE_LAYER = {
  areas: "areas",
  roads: "roads",
  labels: "labels",
  districts: "districts",
  streets: "streets",
  communities: "communities",
  grids: "grids",
  buildings: "buildings",
  stations: "stations",
} as const;

/**
 * Invisible layers that fix the z-order: domain layers are inserted with `beforeId` = their anchor, so mounting
 * order doesn't matter. Listed bottom to top; the first four sit below the basemap labels.
 */
export const ANCHOR = {
  admin: "anchor-admin",
  grids: "anchor-grids",
  buildings: "anchor-buildings",
  outlines: "anchor-outlines",
  labels: "anchor-labels",
  stations: "anchor-stations",
} as const;
export const ANCHORS_BELOW_LABELS = [ANCHOR.admin, ANCHOR.grids, ANCHOR.buildings, ANCHOR.outlines] as const;
export const ANCHORS_ON_TOP = [ANCHOR.labels, ANCHOR.stations] as const;

export const LAYER = {
  background: "background",
  basemapAreas: "basemap-areas",
  basemapParks: "basemap-parks",
  basemapWater: "basemap-water",
  basemapRoadsCasing: "basemap-roads-casing",
  basemapRoads: "basemap-roads",
  basemapRailways: "basemap-railways",
  basemapRoadsLabel: "basemap-roads-label",
  basemapAreasLabel: "basemap-areas-label",
  basemapLabels: "basemap-labels",

  adminCommunitiesFill: "admin-communities-fill",
  adminCommunitiesOutline: "admin-communities-outline",
  adminStreetsOutline: "admin-streets-outline",
  adminCommunitiesLabel: "admin-labels-community",
  adminStreetsLabel: "admin-labels-street",

  gridsFill: "grids-fill",
  gridsOutline: "grids-outline",
  gridsLabel: "grid-labels-code",

  buildingsFill: "buildings-fill",
  buildingsOutline: "buildings-outline",

  stationsCircle: "stations-circle",
  stationsLabel: "stations-label",
} as const;
export type LayerId = (typeof LAYER)[keyof typeof LAYER];

/** Layers whose ids belong to the basemap (toggled together by the "底图" switch). */
export const BASEMAP_LAYERS: readonly string[] = [
  LAYER.basemapAreas,
  LAYER.basemapParks,
  LAYER.basemapWater,
  LAYER.basemapRoadsCasing,
  LAYER.basemapRoads,
  LAYER.basemapRailways,
  LAYER.basemapRoadsLabel,
  LAYER.basemapAreasLabel,
  LAYER.basemapLabels,
];

/** The inspectable feature kinds; the URL search params and JSON routes use the same names. */
export const FEATURE_KINDS = ["grid", "building", "station"] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** Where each inspectable kind lives in the tiles (for feature-state). */
export const FEATURE_SOURCE: Readonly<Record<FeatureKind, { source: SourceId; sourceLayer: string }>> = {
  grid: { source: SOURCE.grids, sourceLayer: SOURCE_LAYER.grids },
  building: { source: SOURCE.buildings, sourceLayer: SOURCE_LAYER.buildings },
  station: { source: SOURCE.stations, sourceLayer: SOURCE_LAYER.stations },
};

/** Layers that answer hover and click, per inspectable kind. */
export const INTERACTIVE_LAYERS: Readonly<Record<FeatureKind, string>> = {
  grid: LAYER.gridsFill,
  building: LAYER.buildingsFill,
  station: LAYER.stationsCircle,
};

/** The switchable layer groups of the layer panel. */
export const LAYER_GROUPS = ["basemap", "admin", "grids", "buildings", "stations"] as const;
export type LayerGroup = (typeof LAYER_GROUPS)[number];
