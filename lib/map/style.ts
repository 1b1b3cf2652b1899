import type { BackgroundLayerSpecification, LayerSpecification, StyleSpecification } from "maplibre-gl";
import type { Locale } from "@/lib/i18n/core";
import {
  backgroundLayer,
  basemapAreasLabelLayer,
  basemapAreasLayer,
  basemapLabelsLayer,
  basemapParksLayer,
  basemapRailwaysLayer,
  basemapRoadsCasingLayer,
  basemapRoadsLabelLayer,
  basemapRoadsLayer,
  basemapWaterLayer,
} from "./basemap-layer-styles";
import { ANCHORS_BELOW_LABELS, ANCHORS_ON_TOP, SOURCE } from "./ids";
import { vectorSource } from "./sources";

/** Demo city view: central Nanjing (新街口); the buildings lie in 118.762–118.797 E, 32.035–32.052 N. */
export const INITIAL_VIEW = { longitude: 118.779, latitude: 32.0435, zoom: 14.5 } as const;
/** Panning stops a little outside the data: [west, south, east, north]. */
export const MAX_BOUNDS: [number, number, number, number] = [118.69, 31.99, 118.87, 32.1];
export const MIN_ZOOM = 11;
export const MAX_ZOOM = 19;
/** CJK ideographs and kana are drawn by the browser from these local fonts, so no CJK glyph ranges are downloaded. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** An invisible layer that only marks a position in the layer stack (see ids.ts ANCHOR). */
export function anchorLayer(id: string): BackgroundLayerSpecification {
  return { id, type: "background", layout: { visibility: "none" }, paint: { "background-opacity": 0 } };
}

export type MapStyleOptions = {
  /** Page origin, e.g. `http://127.0.0.1:3000`: glyph and tile URLs must be absolute for the worker. */
  origin: string;
  locale: Locale;
};

/** Our own basemap style: local glyphs, our vector tiles, no sprite, plus the z-order anchors for domain layers. */
export function buildMapStyle({ origin, locale }: MapStyleOptions): StyleSpecification {
  const base = origin.replace(/\/$/, "");
  const layers: LayerSpecification[] = [
    backgroundLayer,
    basemapAreasLayer,
    basemapParksLayer,
    basemapWaterLayer,
    basemapRailwaysLayer,
    basemapRoadsCasingLayer,
    basemapRoadsLayer,
    ...ANCHORS_BELOW_LABELS.map(anchorLayer),
    basemapAreasLabelLayer(locale),
    basemapRoadsLabelLayer(locale),
    basemapLabelsLayer(locale),
    ...ANCHORS_ON_TOP.map(anchorLayer),
  ];
  return {
    version: 8,
    name: "Wangge basemap",
    glyphs: `${base}/glyphs/{fontstack}/{range}.pbf`,
    sources: { [SOURCE.basemap]: vectorSource(base, SOURCE.basemap) },
    layers,
  };
}

/** The basemap to use: a deployment may point NEXT_PUBLIC_BASEMAP_STYLE_URL at an external style. */
export function resolveMapStyle(options: MapStyleOptions, externalStyleUrl?: string): StyleSpecification | string {
  return externalStyleUrl ? externalStyleUrl : buildMapStyle(options);
}
