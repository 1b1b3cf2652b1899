/**
 * The bench's BASELINE partition, as HOT's fmtm-splitter does it: per road block, k = max(1, round(block households /
 * target)) clusters by k-means on the building centroids weighted by households (k-means++ seeding, deterministic);
 * every cell goes to the cluster of its building, empty land to the nearest cluster centre (Voronoi of the centres);
 * a grid = the union of its cells. No balance repair, no contiguity repair, no merging across blocks.
 * Pure TypeScript over the same CellGraph the engine uses, so both are measured by `partitionMetrics` alike.
 */
import type { PartitionGrid, PartitionResult } from "@/lib/grids/auto-partition";
import { type CellGraph, mulberry32 } from "@/lib/grids/graph";

interface Point {
  x: number;
  y: number;
  w: number;
}

/** Weighted k-means (Lloyd) with k-means++ seeding; returns the centres and each point's cluster. */
export function weightedKMeans(
  points: readonly Point[],
  k: number,
  rand: () => number,
  iterations = 50,
): { centres: Array<{ x: number; y: number }>; label: Int32Array } {
  const n = points.length;
  const label = new Int32Array(n).fill(0);
  if (n === 0 || k <= 1) {
    const w = points.reduce((s, p) => s + p.w, 0);
    const c =
      w > 0
        ? { x: points.reduce((s, p) => s + p.x * p.w, 0) / w, y: points.reduce((s, p) => s + p.y * p.w, 0) / w }
        : {
            x: points.reduce((s, p) => s + p.x, 0) / Math.max(n, 1),
            y: points.reduce((s, p) => s + p.y, 0) / Math.max(n, 1),
          };
    return { centres: [c], label };
  }
  const weight = (p: Point) => (p.w > 0 ? p.w : 1e-3);
  // k-means++: first centre by weight, the next ones by weight × squared distance to the nearest centre
  const centres: Array<{ x: number; y: number }> = [];
  const pick = (score: (p: Point) => number) => {
    const total = points.reduce((s, p) => s + score(p), 0);
    let r = rand() * total;
    for (const p of points) {
      r -= score(p);
      if (r <= 0) return p;
    }
    return points[n - 1] as Point;
  };
  const first = pick(weight);
  centres.push({ x: first.x, y: first.y });
  const d2 = (p: Point, c: { x: number; y: number }) => (p.x - c.x) ** 2 + (p.y - c.y) ** 2;
  while (centres.length < k) {
    const p = pick((q) => weight(q) * Math.min(...centres.map((c) => d2(q, c))));
    centres.push({ x: p.x, y: p.y });
  }
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    points.forEach((p, i) => {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      centres.forEach((c, j) => {
        const d = d2(p, c);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      });
      if (label[i] !== best) {
        changed = true;
        label[i] = best;
      }
    });
    const sx = new Array(k).fill(0);
    const sy = new Array(k).fill(0);
    const sw = new Array(k).fill(0);
    points.forEach((p, i) => {
      const j = label[i] ?? 0;
      const w = weight(p);
      sx[j] += p.x * w;
      sy[j] += p.y * w;
      sw[j] += w;
    });
    for (let j = 0; j < k; j++) if (sw[j] > 0) centres[j] = { x: sx[j] / sw[j], y: sy[j] / sw[j] };
    if (!changed && it > 0) break;
  }
  return { centres, label };
}

/** fmtm-splitter-style partition of one community's cell graph. */
export function kmeansBaseline(graph: CellGraph, target: number, seed = 1): PartitionResult {
  const byBlock = new Map<number, CellGraph["nodes"]>();
  for (const node of [...graph.nodes].sort((a, b) => a.id - b.id)) {
    const list = byBlock.get(node.blockId);
    if (list) list.push(node);
    else byBlock.set(node.blockId, [node]);
  }
  const grids: PartitionGrid[] = [];
  for (const [blockId, cells] of [...byBlock.entries()].sort((a, b) => a[0] - b[0])) {
    // one point per building: the area-weighted mean of its cells' points, its households
    const buildings = new Map<number, { x: number; y: number; a: number; h: number }>();
    for (const c of cells) {
      if (c.buildingId === null) continue;
      const b = buildings.get(c.buildingId) ?? { x: 0, y: 0, a: 0, h: 0 };
      const a = Math.max(c.areaM2, 1e-6);
      b.x += c.x * a;
      b.y += c.y * a;
      b.a += a;
      b.h += c.households;
      buildings.set(c.buildingId, b);
    }
    const ids = [...buildings.keys()].sort((a, b) => a - b);
    const points = ids.map((id) => {
      const b = buildings.get(id) as { x: number; y: number; a: number; h: number };
      return { x: b.x / b.a, y: b.y / b.a, w: b.h };
    });
    const households = points.reduce((s, p) => s + p.w, 0);
    const k = Math.max(1, Math.min(Math.round(households / target), Math.max(points.length, 1)));
    const { centres, label } = weightedKMeans(points, k, mulberry32((seed * 7919 + blockId) >>> 0));
    const clusterOfBuilding = new Map<number, number>();
    ids.forEach((id, i) => {
      clusterOfBuilding.set(id, label[i] ?? 0);
    });
    const members: PartitionGrid[] = centres.map(() => ({ cellIds: [], households: 0, buildingIds: [] }));
    for (const c of cells) {
      let j = c.buildingId === null ? undefined : clusterOfBuilding.get(c.buildingId);
      if (j === undefined) {
        let bestD = Number.POSITIVE_INFINITY;
        centres.forEach((centre, i) => {
          const d = (c.x - centre.x) ** 2 + (c.y - centre.y) ** 2;
          if (d < bestD) {
            bestD = d;
            j = i;
          }
        });
      }
      const g = members[j ?? 0] as PartitionGrid;
      g.cellIds.push(c.id);
      g.households += c.households;
      if (c.buildingId !== null && !g.buildingIds.includes(c.buildingId)) g.buildingIds.push(c.buildingId);
    }
    for (const g of members) if (g.cellIds.length > 0) grids.push(g);
  }
  return { target, grids, exceptions: [] };
}
