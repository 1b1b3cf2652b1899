/** Tile coordinates: parsing, bounds and bbox → tile ranges (Web Mercator, XYZ scheme). */

export const MAX_ZOOM = 22;

export type TileCoords = { z: number; x: number; y: number };
export type Bbox = [minLng: number, minLat: number, maxLng: number, maxLat: number];
export type TileRange = { minX: number; minY: number; maxX: number; maxY: number };

export type ParsedTileCoords = { ok: true; tile: TileCoords } | { ok: false; error: string };

/** Canonical non-negative decimal integers only: "0", "17"; not "01", "1.5", "+1", "1e3" or "". */
const INTEGER = /^(0|[1-9][0-9]{0,9})$/;

/** Validate z/x/y URL segments; the error names the offending value. */
export function parseTileCoords(z: string, x: string, y: string): ParsedTileCoords {
  for (const [name, value] of [
    ["z", z],
    ["x", x],
    ["y", y],
  ] as const) {
    if (!INTEGER.test(value)) {
      return { ok: false, error: `${name} must be a non-negative integer without leading zeros, got "${value}"` };
    }
  }
  const zoom = Number(z);
  if (zoom > MAX_ZOOM) return { ok: false, error: `z must be between 0 and ${MAX_ZOOM}, got ${zoom}` };
  const size = 2 ** zoom;
  const column = Number(x);
  const row = Number(y);
  if (column >= size) return { ok: false, error: `x must be between 0 and ${size - 1} at z${zoom}, got ${column}` };
  if (row >= size) return { ok: false, error: `y must be between 0 and ${size - 1} at z${zoom}, got ${row}` };
  return { ok: true, tile: { z: zoom, x: column, y: row } };
}

const MAX_LAT = 85.0511287798066;

function lngToTileX(lng: number, z: number): number {
  return ((lng + 180) / 360) * 2 ** z;
}

function latToTileY(lat: number, z: number): number {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z;
}

function tileXToLng(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/** The lng/lat bounds of a tile. */
export function tileBbox({ z, x, y }: TileCoords): Bbox {
  return [tileXToLng(x, z), tileYToLat(y + 1, z), tileXToLng(x + 1, z), tileYToLat(y, z)];
}

/** The tile containing a point at zoom z. */
export function lngLatToTile(lngLat: [number, number], z: number): TileCoords {
  const size = 2 ** z;
  const clamp = (value: number) => Math.max(0, Math.min(size - 1, Math.floor(value)));
  return { z, x: clamp(lngToTileX(lngLat[0], z)), y: clamp(latToTileY(lngLat[1], z)) };
}

/**
 * The inclusive range of tiles at zoom z whose area (grown by `bufferRatio` of a tile on each side, the MVT buffer)
 * intersects the bbox.
 */
export function bboxToTileRange(bbox: Bbox, z: number, bufferRatio = 0): TileRange {
  const size = 2 ** z;
  const clamp = (value: number) => Math.max(0, Math.min(size - 1, value));
  const [minLng, minLat, maxLng, maxLat] = bbox;
  return {
    minX: clamp(Math.floor(lngToTileX(minLng, z) - bufferRatio)),
    maxX: clamp(Math.floor(lngToTileX(maxLng, z) + bufferRatio)),
    // tile rows grow southwards
    minY: clamp(Math.floor(latToTileY(maxLat, z) - bufferRatio)),
    maxY: clamp(Math.floor(latToTileY(minLat, z) + bufferRatio)),
  };
}

export function tileInRange(x: number, y: number, range: TileRange): boolean {
  return x >= range.minX && x <= range.maxX && y >= range.minY && y <= range.maxY;
}
