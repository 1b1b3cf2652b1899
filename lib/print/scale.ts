/** Scale bar arithmetic for the print sheet (Web Mercator, 512-px tiles as MapLibre uses). */

const EARTH_CIRCUMFERENCE_M = 40_075_016.686;

/** Ground metres per CSS pixel at a latitude and zoom. */
export function metersPerPixel(latitude: number, zoom: number): number {
  return (EARTH_CIRCUMFERENCE_M * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/**
 * The longest "nice" length (1, 2 or 5 × 10ⁿ metres) whose bar is at most `maxPx` pixels, its length in pixels, and
 * a label in metres below 1 km, else kilometres.
 */
export function niceScale(metresPerPx: number, maxPx: number): { meters: number; px: number; label: string } {
  if (!(metresPerPx > 0) || !(maxPx > 0)) throw new RangeError("metres per pixel and bar width must be positive");
  const maxMeters = metresPerPx * maxPx;
  const power = 10 ** Math.floor(Math.log10(maxMeters));
  const meters = [5, 2, 1].map((step) => step * power).find((value) => value <= maxMeters) ?? power;
  const label = meters >= 1000 ? `${meters / 1000} km` : `${meters} m`;
  return { meters, px: meters / metresPerPx, label };
}
