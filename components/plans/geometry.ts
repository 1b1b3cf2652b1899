import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from "geojson";
import type { PlanGeoJson } from "@/lib/plans/contract";

export type BBox = [number, number, number, number];

/** [west, south, east, north] of any polygon / multipolygon coordinates. */
export function bboxOf(geometry: Polygon | MultiPolygon | Point): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (p: Position) => {
    const [x = 0, y = 0] = p;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  };
  if (geometry.type === "Point") visit(geometry.coordinates);
  else if (geometry.type === "Polygon") for (const ring of geometry.coordinates) for (const p of ring) visit(p);
  else for (const poly of geometry.coordinates) for (const ring of poly) for (const p of ring) visit(p);
  return [w, s, e, n];
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Position;
    const b = ring[i] as Position;
    sum += ((a[0] ?? 0) - (b[0] ?? 0)) * ((a[1] ?? 0) + (b[1] ?? 0));
  }
  return Math.abs(sum / 2);
}

function pointInRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]?.[0] ?? 0;
    const yi = ring[i]?.[1] ?? 0;
    const xj = ring[j]?.[0] ?? 0;
    const yj = ring[j]?.[1] ?? 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(x: number, y: number, a: Position, b: Position): number {
  const ax = a[0] ?? 0;
  const ay = a[1] ?? 0;
  const dx = (b[0] ?? 0) - ax;
  const dy = (b[1] ?? 0) - ay;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/**
 * A point well inside the polygon for its label: the sample of a 24×24 grid over the largest part that lies inside it
 * and farthest from its edges (a coarse pole of inaccessibility), or the bbox centre if nothing is inside.
 */
export function labelPoint(geometry: MultiPolygon | Polygon): Position {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let largest = polygons[0] ?? [];
  let largestArea = -1;
  for (const poly of polygons) {
    const area = ringArea(poly[0] ?? []);
    if (area > largestArea) {
      largestArea = area;
      largest = poly;
    }
  }
  const [w, s, e, n] = bboxOf({ type: "Polygon", coordinates: largest });
  let best: Position = [(w + e) / 2, (s + n) / 2];
  let bestDistance = -1;
  const steps = 24;
  for (let i = 1; i < steps; i++) {
    for (let j = 1; j < steps; j++) {
      const x = w + ((e - w) * i) / steps;
      const y = s + ((n - s) * j) / steps;
      const outer = largest[0] ?? [];
      if (!pointInRing(x, y, outer)) continue;
      if (largest.slice(1).some((hole) => pointInRing(x, y, hole))) continue;
      let d = Infinity;
      for (const ring of largest)
        for (let k = 1; k < ring.length; k++)
          d = Math.min(d, segmentDistance(x, y, ring[k - 1] as Position, ring[k] as Position));
      if (d > bestDistance) {
        bestDistance = d;
        best = [x, y];
      }
    }
  }
  return best;
}

/** One label point per grid with the code's last four digits and the households. */
export function planLabels(
  plan: PlanGeoJson,
): FeatureCollection<Point, { id: number; suffix: string; households: string }> {
  return {
    type: "FeatureCollection",
    features: plan.features.map(
      (feature): Feature<Point, { id: number; suffix: string; households: string }> => ({
        type: "Feature",
        id: feature.properties.id,
        geometry: { type: "Point", coordinates: labelPoint(feature.geometry) },
        properties: {
          id: feature.properties.id,
          suffix: feature.properties.code.slice(-4),
          households: String(feature.properties.households),
        },
      }),
    ),
  };
}

/** Every vertex of the plan's grid boundaries (for snapping reshape handles). */
export function planVertices(plan: PlanGeoJson, excludeGridIds: readonly number[] = []): Position[] {
  const out: Position[] = [];
  for (const feature of plan.features) {
    if (excludeGridIds.includes(feature.properties.id)) continue;
    for (const poly of feature.geometry.coordinates) for (const ring of poly) for (const p of ring) out.push(p);
  }
  return out;
}
