import type { GeoJSONSourceSpecification, VectorSourceSpecification } from "maplibre-gl";
import { SOURCE, type SourceId } from "./ids";

/** Zoom range in which each tile layer has data (docs/contracts.md); MapLibre overzooms past maxzoom. */
export const TILE_ZOOMS: Readonly<Record<SourceId, { minzoom: number; maxzoom: number }>> = {
  [SOURCE.basemap]: { minzoom: 10, maxzoom: 18 },
  [SOURCE.admin]: { minzoom: 10, maxzoom: 18 },
  [SOURCE.grids]: { minzoom: 13, maxzoom: 18 },
  [SOURCE.buildings]: { minzoom: 14, maxzoom: 18 },
  [SOURCE.stations]: { minzoom: 10, maxzoom: 18 },
};

export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";

/** Absolute tile URL template of one of our layers; MapLibre fetches tiles from a worker, which needs absolute URLs. */
export function tileUrl(origin: string, layer: SourceId, version?: string | number): string {
  const query = version === undefined ? "" : `?v=${encodeURIComponent(String(version))}`;
  return `${origin.replace(/\/$/, "")}/api/tiles/${layer}/{z}/{x}/{y}${query}`;
}

export function vectorSource(origin: string, layer: SourceId, version?: string | number): VectorSourceSpecification {
  return {
    type: "vector",
    tiles: [tileUrl(origin, layer, version)],
    ...TILE_ZOOMS[layer],
    attribution: OSM_ATTRIBUTION,
  };
}

/** A GeoJSON source of label points served by app/api/features/<path>. */
export function labelSource(
  origin: string,
  path: "admin-labels" | "grid-labels",
  version?: string | number,
): GeoJSONSourceSpecification {
  const query = version === undefined ? "" : `?v=${encodeURIComponent(String(version))}`;
  return {
    type: "geojson",
    data: `${origin.replace(/\/$/, "")}/api/features/${path}${query}`,
    attribution: OSM_ATTRIBUTION,
  };
}
