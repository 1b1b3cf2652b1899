/**
 * Coordinate reference systems accepted by the importers. Everything is stored in EPSG:4326.
 * - EPSG:4490 (CGCS2000) and EPSG:4326 (WGS 84) differ by centimetres in China: accepted as-is.
 * - GCJ-02 (the obfuscated "Mars" datum of Chinese web maps) is converted with the standard inverse.
 */

export type LngLat = [number, number];
export type SourceCrs = "4326" | "4490" | "gcj02";

const SEMI_MAJOR_AXIS = 6_378_245.0; // Krasovsky 1940, as used by the GCJ-02 algorithm
const ECCENTRICITY_SQUARED = 0.006_693_421_622_965_943;

/** The GCJ-02 offset applies only inside mainland China's bounding box (the standard heuristic). */
export function isOutsideChina([lng, lat]: LngLat): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let result = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  result += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  result += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  result += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return result;
}

function transformLng(x: number, y: number): number {
  let result = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  result += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  result += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  result += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return result;
}

/** WGS 84 → GCJ-02 (the published forward algorithm). */
export function wgs84ToGcj02(lngLat: LngLat): LngLat {
  const [lng, lat] = lngLat;
  if (isOutsideChina(lngLat)) return [lng, lat];
  let dLat = transformLat(lng - 105, lat - 35);
  let dLng = transformLng(lng - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - ECCENTRICITY_SQUARED * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180) / ((SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 → WGS 84 by fixed-point iteration on the forward offset (converges to < 1e-9° in a few steps). */
export function gcj02ToWgs84(lngLat: LngLat): LngLat {
  if (isOutsideChina(lngLat)) return [lngLat[0], lngLat[1]];
  let lng = lngLat[0];
  let lat = lngLat[1];
  for (let iteration = 0; iteration < 30; iteration += 1) {
    const [forwardLng, forwardLat] = wgs84ToGcj02([lng, lat]);
    const dLng = forwardLng - lngLat[0];
    const dLat = forwardLat - lngLat[1];
    lng -= dLng;
    lat -= dLat;
    if (Math.abs(dLng) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return [lng, lat];
}

/** Convert one position from the source CRS to EPSG:4326 (4490 is taken as equal to 4326 within centimetres). */
export function toWgs84(lngLat: LngLat, crs: SourceCrs): LngLat {
  return crs === "gcj02" ? gcj02ToWgs84(lngLat) : [lngLat[0], lngLat[1]];
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceMetres(a: LngLat, b: LngLat): number {
  const radius = 6_371_008.8;
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLng = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The CRS named by a GeoJSON `crs` member (legacy GeoJSON 2008), e.g. `urn:ogc:def:crs:EPSG::4490`,
 * `EPSG:4326` or `urn:ogc:def:crs:OGC:1.3:CRS84`. Returns null when absent; throws on an unsupported CRS.
 */
export function crsFromGeoJsonMember(member: unknown): SourceCrs | null {
  if (member === undefined || member === null) return null;
  const name =
    typeof member === "object" && member !== null && "properties" in member
      ? (member as { properties?: { name?: unknown } }).properties?.name
      : undefined;
  if (typeof name !== "string") throw new Error("GeoJSON crs member has no properties.name");
  if (/CRS84$/i.test(name) || /EPSG:{1,2}4326$/i.test(name)) return "4326";
  if (/EPSG:{1,2}4490$/i.test(name)) return "4490";
  if (/gcj-?02/i.test(name)) return "gcj02";
  throw new Error(`unsupported GeoJSON crs "${name}" (accepted: EPSG:4326, EPSG:4490, GCJ-02)`);
}
