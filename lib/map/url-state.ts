import { FEATURE_KINDS, type FeatureKind } from "./ids";
import { MAX_ZOOM, MIN_ZOOM } from "./style";

export type MapView = { longitude: number; latitude: number; zoom: number };
export type Selection = { kind: FeatureKind; id: number };

const finite = (value: string | null) => (value === null || value.trim() === "" ? Number.NaN : Number(value));

/** The view in `?z=&lng=&lat=`, or undefined when absent or out of range (then the default view is used). */
export function readViewFromSearch(params: URLSearchParams): MapView | undefined {
  const zoom = finite(params.get("z"));
  const longitude = finite(params.get("lng"));
  const latitude = finite(params.get("lat"));
  if (![zoom, longitude, latitude].every(Number.isFinite)) return undefined;
  if (Math.abs(longitude) > 180 || Math.abs(latitude) > 85) return undefined;
  return { longitude, latitude, zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) };
}

/** The selected feature in `?grid=`, `?building=` or `?station=` (the first valid one, in that order). */
export function readSelectionFromSearch(params: URLSearchParams): Selection | undefined {
  for (const kind of FEATURE_KINDS) {
    const value = params.get(kind);
    if (value && /^[1-9][0-9]{0,9}$/.test(value)) return { kind, id: Number(value) };
  }
  return undefined;
}

/** The search string with the view written in (5 decimals ≈ 1 m, zoom to 2 decimals); other params are kept. */
export function writeViewToSearch(search: string, view: MapView): string {
  const params = new URLSearchParams(search);
  params.set("z", view.zoom.toFixed(2));
  params.set("lng", view.longitude.toFixed(5));
  params.set("lat", view.latitude.toFixed(5));
  return `?${params.toString()}`;
}

/** The search string with exactly one selection param (or none). */
export function writeSelectionToSearch(search: string, selection: Selection | undefined): string {
  const params = new URLSearchParams(search);
  for (const kind of FEATURE_KINDS) params.delete(kind);
  if (selection) params.set(selection.kind, String(selection.id));
  const text = params.toString();
  return text ? `?${text}` : "";
}
