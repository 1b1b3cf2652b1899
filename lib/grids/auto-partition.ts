/**
 * Automatic partition of one community's cell graph into grids of about `target` households (pure TypeScript).
 *
 * 1. Units: cells of one building, and every road block whose households fit in one grid, are contracted into one
 *    unit, so a building and such a block are never split. A unit holding more households than the target (a tower)
 *    becomes its own grid.
 * 2. Recursive balanced bisection of each connected remainder: candidates from seeded random spanning trees (road
 *    edges enter the tree last, so cuts fall on roads) and sweep lines at 12 angles (repaired to contiguity); the best
 *    by balance, then cut cost (road edges cost 15 %), then compactness.
 * 3. Multi-hop balance repair (a chain of boundary moves along a path of grids from an over- to an under-loaded grid),
 *    boundary refinement, compactness refinement (moves that raise Polsby–Popper and keep both grids within the
 *    tolerance they had) — every move keeps each grid contiguous.
 * 4. Pair recombination: two adjacent grids are merged and split again (spanning-tree, sweep-line and disc cuts) when
 *    that lowers balance + shape + cut cost, in rounds until nothing changes; indivisible units move as a whole, and
 *    the share of the internal boundary on roads stays ≥ 30 %.
 * 5. Multi-start: the whole of 2–4 runs for 8 seeds (1 above 300 units) derived from the given seed (every other attempt with the
 *    other neighbouring grid count when its average is also within ±5 %); the attempt with the fewest grids beyond
 *    ±10 %, then below PP 0.25, then beyond ±5 %, then the best mean compactness is kept.
 * Grids are unions of cells, so they tile the community exactly by construction.
 */
import {
  type Adjacency,
  buildAdjacency,
  type CellGraph,
  components,
  createDisjointSet,
  isConnected,
  mulberry32,
} from "./graph";

export interface PartitionOptions {
  /** Households per grid (e.g. 200 old estates, 500 new estates). */
  target: number;
  seed?: number;
  /** Relative tolerance aimed for (0.05). */
  tolerance?: number;
  /**
   * Households of each whole road block (by `blockId`) when the graph is only part of a community (two grids being
   * re-split): a block is kept whole only when the WHOLE block fits in one grid, not when its part in this graph does.
   * `repartition` fills it from the full graph; default: the totals of the blocks in the given graph.
   */
  blockHouseholds?: ReadonlyMap<number, number>;
  /**
   * Seeded attempts, the best kept (a whole number ≥ 1): bounds the work of an interactive re-split. Default
   * `ATTEMPTS`, one above `LARGE_UNITS` units.
   */
  attempts?: number;
}

export interface PartitionGrid {
  cellIds: number[];
  households: number;
  buildingIds: number[];
}

export interface PartitionException {
  /** Index into `grids`. */
  grid: number;
  households: number;
  reason: string;
}

export interface PartitionResult {
  target: number;
  grids: PartitionGrid[];
  exceptions: PartitionException[];
}

/** Share of a road edge's length that counts as cut cost (cutting along roads is cheap). */
export const ROAD_CUT_FACTOR = 0.15;
const HARD_TOLERANCE = 0.1;

interface Units {
  n: number;
  cells: number[][];
  h: number[];
  area: number[];
  perim: number[];
  x: number[];
  y: number[];
  buildings: number[][];
  /** The road block of each unit (of its first cell), and whether that block fits in one grid (≤ target). */
  block: number[];
  smallBlock: boolean[];
  adj: Adjacency;
  cost: number[][];
}

function edgeCost(len: number, road: number): number {
  const r = Math.min(Math.max(road, 0), len);
  return len - r + ROAD_CUT_FACTOR * r;
}

/** Contract cells into units: one building's cells; a whole block when its households fit in one grid. */
function buildUnits(graph: CellGraph, target: number, wholeBlocks?: ReadonlyMap<number, number>): Units {
  const nodes = [...graph.nodes].sort((p, q) => p.id - q.id);
  const index = new Map<number, number>();
  nodes.forEach((node, i) => {
    index.set(node.id, i);
  });
  const { find, union } = createDisjointSet(nodes.length);
  const edges = graph.edges
    .map((e) => ({ a: index.get(e.a) ?? -1, b: index.get(e.b) ?? -1, lengthM: e.lengthM, roadLengthM: e.roadLengthM }))
    .filter((e) => e.a >= 0 && e.b >= 0 && e.a !== e.b && e.lengthM > 0);
  // cells of one building
  const byBuilding = new Map<number, number>();
  nodes.forEach((node, i) => {
    if (node.buildingId === null) return;
    const first = byBuilding.get(node.buildingId);
    if (first === undefined) byBuilding.set(node.buildingId, i);
    else union(first, i);
  });
  for (const [a, b] of graph.together ?? []) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia !== undefined && ib !== undefined) union(ia, ib);
  }
  // blocks that fit in one grid (connected pieces of them)
  const blockHouseholds = new Map<number, number>();
  for (const node of nodes)
    blockHouseholds.set(node.blockId, (blockHouseholds.get(node.blockId) ?? 0) + node.households);
  if (wholeBlocks) for (const [b, h] of wholeBlocks) if (blockHouseholds.has(b)) blockHouseholds.set(b, h);
  for (const e of edges) {
    const na = nodes[e.a];
    const nb = nodes[e.b];
    if (!na || !nb || na.blockId !== nb.blockId) continue;
    if ((blockHouseholds.get(na.blockId) ?? 0) <= target) union(e.a, e.b);
  }
  const unitOf = new Map<number, number>();
  const u: Units = {
    n: 0,
    cells: [],
    h: [],
    area: [],
    perim: [],
    x: [],
    y: [],
    buildings: [],
    block: [],
    smallBlock: [],
    adj: buildAdjacency(0, []),
    cost: [],
  };
  const cellUnit = nodes.map((_, i) => {
    const r = find(i);
    let k = unitOf.get(r);
    if (k === undefined) {
      k = u.n++;
      unitOf.set(r, k);
      u.cells.push([]);
      u.h.push(0);
      u.area.push(0);
      u.perim.push(0);
      u.x.push(0);
      u.y.push(0);
      u.buildings.push([]);
      u.block.push(nodes[i]?.blockId ?? -1);
      u.smallBlock.push((blockHouseholds.get(nodes[i]?.blockId ?? -1) ?? 0) <= target);
    }
    return k;
  });
  nodes.forEach((node, i) => {
    const k = cellUnit[i] ?? 0;
    u.cells[k]?.push(node.id);
    u.h[k] = (u.h[k] ?? 0) + node.households;
    const a = Math.max(node.areaM2, 1e-6);
    u.area[k] = (u.area[k] ?? 0) + a;
    u.perim[k] = (u.perim[k] ?? 0) + node.perimeterM;
    u.x[k] = (u.x[k] ?? 0) + node.x * a;
    u.y[k] = (u.y[k] ?? 0) + node.y * a;
    if (node.buildingId !== null && !u.buildings[k]?.includes(node.buildingId)) u.buildings[k]?.push(node.buildingId);
  });
  for (let k = 0; k < u.n; k++) {
    u.x[k] = (u.x[k] ?? 0) / (u.area[k] ?? 1);
    u.y[k] = (u.y[k] ?? 0) / (u.area[k] ?? 1);
  }
  const merged = new Map<number, { a: number; b: number; lengthM: number; roadLengthM: number }>();
  for (const e of edges) {
    const a = cellUnit[e.a] ?? 0;
    const b = cellUnit[e.b] ?? 0;
    if (a === b) {
      u.perim[a] = (u.perim[a] ?? 0) - 2 * e.lengthM;
      continue;
    }
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * u.n + hi;
    const m = merged.get(key);
    if (m) {
      m.lengthM += e.lengthM;
      m.roadLengthM += e.roadLengthM;
    } else merged.set(key, { a: lo, b: hi, lengthM: e.lengthM, roadLengthM: e.roadLengthM });
  }
  const list = [...merged.values()].sort((p, q) => p.a - q.a || p.b - q.b);
  u.adj = buildAdjacency(u.n, list);
  u.cost = u.adj.len.map((ls, i) => ls.map((l, j) => edgeCost(l, u.adj.road[i]?.[j] ?? 0)));
  return u;
}

interface Candidate {
  inA: Uint8Array;
  kA: number;
}

class Partitioner {
  private readonly rand: () => number;
  private readonly tol: number;
  /** Typical grid side (m), to normalise cut lengths. */
  private l0 = 1;
  constructor(
    private readonly u: Units,
    private readonly target: number,
    seed: number,
    tol: number,
  ) {
    this.rand = mulberry32(seed);
    this.tol = tol;
  }

  sum(set: readonly number[]): number {
    let s = 0;
    for (const v of set) s += this.u.h[v] ?? 0;
    return s;
  }

  /** Balance penalty of one grid's load. */
  pen(h: number): number {
    const d = Math.abs(h - this.target) / this.target;
    return d * d + 10 * Math.max(0, d - this.tol) + 100 * Math.max(0, d - HARD_TOLERANCE);
  }

  setScale(totalArea: number, k: number) {
    this.l0 = Math.sqrt(Math.max(totalArea, 1) / Math.max(k, 1));
  }

  /** Score a split of S into A (kA grids) and the rest (k − kA grids); lower is better. */
  score(S: readonly number[], inS: Uint8Array, c: Candidate, k: number, H: number): number {
    let hA = 0;
    let cut = 0;
    let areaA = 0;
    let areaB = 0;
    let perA = 0;
    let perB = 0;
    let intA = 0;
    let intB = 0;
    for (const v of S) {
      const a = c.inA[v] === 1;
      if (a) {
        hA += this.u.h[v] ?? 0;
        areaA += this.u.area[v] ?? 0;
        perA += this.u.perim[v] ?? 0;
      } else {
        areaB += this.u.area[v] ?? 0;
        perB += this.u.perim[v] ?? 0;
      }
      const nb = this.u.adj.nbr[v] ?? [];
      for (let j = 0; j < nb.length; j++) {
        const w = nb[j] ?? 0;
        if (!inS[w]) continue;
        const l = this.u.adj.len[v]?.[j] ?? 0;
        if ((c.inA[w] === 1) !== a) cut += a ? (this.u.cost[v]?.[j] ?? 0) : 0;
        else if (a) intA += l;
        else intB += l;
      }
    }
    const kB = k - c.kA;
    const per = H / k;
    // deviation per grid when the error is spread over the smaller side's grids
    const balErr = per > 0 ? Math.abs(hA - (H * c.kA) / k) / per / Math.max(1, Math.min(c.kA, kB)) : 0;
    const ppA = (4 * Math.PI * areaA) / Math.max((perA - intA) ** 2, 1e-9);
    const ppB = (4 * Math.PI * areaB) / Math.max((perB - intB) ** 2, 1e-9);
    const hB = H - hA;
    // a side must be able to hold its grids: not empty of households when it gets grids
    const starving = (c.kA > 0 && hA <= 0 && H > 0 ? 1 : 0) + (kB > 0 && hB <= 0 && H > 0 ? 1 : 0);
    const tolHere = k === 2 ? this.tol * 0.6 : this.tol * 0.8;
    return (
      (cut / this.l0) * 0.5 +
      0.15 * (1 / Math.max(ppA, 0.05) + 1 / Math.max(ppB, 0.05)) +
      60 * Math.max(0, balErr - tolHere) +
      5 * balErr +
      1000 * starving
    );
  }

  /** Move stray components so that both sides are connected. */
  fixContiguity(S: readonly number[], inA: Uint8Array): void {
    for (const side of [1, 0]) {
      const members = S.filter((v) => (inA[v] === 1) === (side === 1));
      if (members.length === 0) continue;
      const comps = components(this.u.adj, members);
      if (comps.length <= 1) continue;
      let best = 0;
      let bestKey = -1;
      comps.forEach((c, i) => {
        const key = this.sum(c) * 1e6 + c.length;
        if (key > bestKey) {
          bestKey = key;
          best = i;
        }
      });
      comps.forEach((c, i) => {
        if (i === best) return;
        for (const v of c) inA[v] = side === 1 ? 0 : 1;
      });
    }
  }

  candidates(S: readonly number[], inS: Uint8Array, k: number, H: number): Candidate[] {
    const out: Candidate[] = [];
    const k1 = Math.floor(k / 2);
    const k2 = k - k1;
    const ks = k1 === k2 ? [k1] : [k1, k2];
    // sweep lines
    const angles = 12;
    for (let i = 0; i < angles; i++) {
      const t = (2 * Math.PI * i) / angles;
      const cx = Math.cos(t);
      const cy = Math.sin(t);
      const order = [...S].sort(
        (p, q) =>
          (this.u.x[p] ?? 0) * cx + (this.u.y[p] ?? 0) * cy - ((this.u.x[q] ?? 0) * cx + (this.u.y[q] ?? 0) * cy) ||
          p - q,
      );
      for (const kA of ks) {
        const goal = (H * kA) / k;
        let cum = 0;
        let idx = 0;
        while (idx < order.length - 1 && cum + (this.u.h[order[idx] ?? 0] ?? 0) <= goal) {
          cum += this.u.h[order[idx] ?? 0] ?? 0;
          idx++;
        }
        for (const cutAt of [idx, idx + 1]) {
          if (cutAt <= 0 || cutAt >= order.length) continue;
          const inA = new Uint8Array(this.u.n);
          for (let j = 0; j < cutAt; j++) inA[order[j] ?? 0] = 1;
          this.fixContiguity(S, inA);
          if (S.some((v) => inA[v] === 1) && S.some((v) => inA[v] !== 1)) out.push({ inA, kA });
        }
      }
    }
    // random spanning trees, road edges last
    const trees = S.length > 2000 ? 6 : 12;
    const local = new Map<number, number>();
    S.forEach((v, i) => {
      local.set(v, i);
    });
    const edges: Array<{ a: number; b: number; w: number }> = [];
    for (const v of S) {
      const nb = this.u.adj.nbr[v] ?? [];
      for (let j = 0; j < nb.length; j++) {
        const w = nb[j] ?? 0;
        if (w <= v || !inS[w]) continue;
        const l = this.u.adj.len[v]?.[j] ?? 0;
        const r = this.u.adj.road[v]?.[j] ?? 0;
        edges.push({ a: v, b: w, w: r > 0.5 * l ? 1 : 0 });
      }
    }
    for (let t = 0; t < trees; t++) {
      const keyed = edges.map((e) => ({ e, key: e.w + this.rand() }));
      keyed.sort((p, q) => p.key - q.key);
      const forest = createDisjointSet(S.length);
      const treeNbr: number[][] = S.map(() => []);
      for (const { e } of keyed) {
        const a = local.get(e.a) ?? 0;
        const b = local.get(e.b) ?? 0;
        if (!forest.union(a, b)) continue;
        treeNbr[a]?.push(b);
        treeNbr[b]?.push(a);
      }
      // root at a random vertex; BFS order, subtree sums
      const root = Math.floor(this.rand() * S.length);
      const par = new Int32Array(S.length).fill(-2);
      par[root] = -1;
      const order = [root];
      for (let i = 0; i < order.length; i++) {
        const v = order[i] ?? 0;
        for (const w of treeNbr[v] ?? []) {
          if (par[w] === -2) {
            par[w] = v;
            order.push(w);
          }
        }
      }
      if (order.length !== S.length) continue; // S not connected: the caller splits components first
      const sub = new Float64Array(S.length);
      for (let i = order.length - 1; i >= 0; i--) {
        const v = order[i] ?? 0;
        sub[v] = (sub[v] ?? 0) + (this.u.h[S[v] ?? 0] ?? 0);
        const p = par[v] ?? -1;
        if (p >= 0) sub[p] = (sub[p] ?? 0) + (sub[v] ?? 0);
      }
      const picks: Array<{ v: number; kA: number; d: number }> = [];
      for (let v = 0; v < S.length; v++) {
        if (v === root) continue;
        for (const kA of ks) {
          const d = Math.abs((sub[v] ?? 0) - (H * kA) / k);
          picks.push({ v, kA, d });
        }
      }
      picks.sort((p, q) => p.d - q.d || p.v - q.v);
      for (const pick of picks.slice(0, 3)) {
        const inA = new Uint8Array(this.u.n);
        const stack = [pick.v];
        while (stack.length > 0) {
          const v = stack.pop() as number;
          inA[S[v] ?? 0] = 1;
          for (const w of treeNbr[v] ?? []) if (par[w] === v) stack.push(w);
        }
        out.push({ inA, kA: pick.kA });
      }
    }
    return out;
  }

  /** Split a connected set S into k contiguous grids. */
  bisect(S: number[], k: number): number[][] {
    if (k <= 1 || S.length <= 1) return [S];
    const inS = new Uint8Array(this.u.n);
    for (const v of S) inS[v] = 1;
    const H = this.sum(S);
    const cands = this.candidates(S, inS, k, H);
    let best: Candidate | null = null;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const c of cands) {
      const s = this.score(S, inS, c, k, H);
      if (s < bestScore) {
        bestScore = s;
        best = c;
      }
    }
    if (!best) return [S];
    const A = S.filter((v) => best.inA[v] === 1);
    const B = S.filter((v) => best.inA[v] !== 1);
    const kA = Math.min(best.kA, A.length);
    const kB = Math.min(k - best.kA, B.length);
    return [...this.bisect(A, Math.max(kA, 1)), ...this.bisect(B, Math.max(kB, 1))];
  }
}

interface Attempt {
  P: Partitioner;
  grid: Int32Array;
  exempt: Set<number>;
  reasons: Map<number, string>;
  averageNote: Map<number, string>;
  /** Lower is better: grids beyond ±10 %, then beyond ±5 %, then (1 − PP) mean and PP below the floor. */
  quality: number;
}

/**
 * Compact seeding: a household-balanced power diagram of the units (k-means on the unit points with a weight per grid,
 * raised while the grid holds less than H / k households), farthest-point centres from a seeded first unit; each
 * region keeps its largest connected piece and the other pieces join a neighbouring region. Returns the non-empty
 * regions (the caller falls back to the bisection when fewer than k remain).
 */
function powerSplit(u: Units, comp: number[], k: number, rand: () => number): number[][] {
  const H = comp.reduce((s, v) => s + (u.h[v] ?? 0), 0);
  const cx: number[] = [];
  const cy: number[] = [];
  // farthest-point seeds from a random first
  const first = comp[Math.floor(rand() * comp.length)] ?? comp[0] ?? 0;
  cx.push(u.x[first] ?? 0);
  cy.push(u.y[first] ?? 0);
  while (cx.length < k) {
    let best = comp[0] ?? 0;
    let bd = -1;
    for (const v of comp) {
      let d = Number.POSITIVE_INFINITY;
      for (let i = 0; i < cx.length; i++)
        d = Math.min(d, ((u.x[v] ?? 0) - (cx[i] ?? 0)) ** 2 + ((u.y[v] ?? 0) - (cy[i] ?? 0)) ** 2);
      if (d > bd) {
        bd = d;
        best = v;
      }
    }
    cx.push(u.x[best] ?? 0);
    cy.push(u.y[best] ?? 0);
  }
  const w = new Array(k).fill(0);
  const lab = new Map<number, number>();
  const assign = () => {
    for (const v of comp) {
      let bi = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let i = 0; i < k; i++) {
        const d = ((u.x[v] ?? 0) - (cx[i] ?? 0)) ** 2 + ((u.y[v] ?? 0) - (cy[i] ?? 0)) ** 2 - (w[i] ?? 0);
        if (d < bd) {
          bd = d;
          bi = i;
        }
      }
      lab.set(v, bi);
    }
  };
  let scale = 0;
  for (const v of comp) scale += u.area[v] ?? 0;
  scale /= k;
  for (let it = 0; it < 60; it++) {
    assign();
    const load = new Array(k).fill(0);
    const sx = new Array(k).fill(0);
    const sy = new Array(k).fill(0);
    const sa = new Array(k).fill(0);
    for (const v of comp) {
      const i = lab.get(v) ?? 0;
      load[i] += u.h[v] ?? 0;
      sx[i] += (u.x[v] ?? 0) * (u.area[v] ?? 0);
      sy[i] += (u.y[v] ?? 0) * (u.area[v] ?? 0);
      sa[i] += u.area[v] ?? 0;
    }
    for (let i = 0; i < k; i++) {
      if ((sa[i] ?? 0) > 0 && it % 3 === 0) {
        cx[i] = (sx[i] ?? 0) / (sa[i] ?? 1);
        cy[i] = (sy[i] ?? 0) / (sa[i] ?? 1);
      }
      w[i] = (w[i] ?? 0) + 0.3 * scale * (1 - (load[i] ?? 0) / (H / k));
    }
  }
  assign();
  // contiguity: keep each label's largest piece, hand the rest to a neighbouring label (repeat until stable)
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (let i = 0; i < k; i++) {
      const mem = comp.filter((v) => lab.get(v) === i);
      if (mem.length === 0) continue;
      const pieces = components(u.adj, mem).sort((a, b) => b.length - a.length || (a[0] ?? 0) - (b[0] ?? 0));
      for (const piece of pieces.slice(1))
        for (const v of piece) {
          const nb = (u.adj.nbr[v] ?? []).find((x) => lab.has(x) && lab.get(x) !== i);
          if (nb !== undefined) {
            lab.set(v, lab.get(nb) ?? i);
            changed = true;
          }
        }
    }
    if (!changed) break;
  }
  const out: number[][] = Array.from({ length: k }, () => []);
  for (const v of comp) out[lab.get(v) ?? 0]?.push(v);
  return out.filter((p) => p.length > 0);
}

/**
 * Extra attempts (small graphs only) seeded by `powerSplit` instead of the balanced bisection: compact starting
 * regions; repair and recombination then balance them, and the best attempt still wins on balance first.
 */
export const POWER_ATTEMPTS = 4;

/** Seeded attempts of the whole partition for up to `LARGE_UNITS` units (one above); the best is kept. */
export const ATTEMPTS = 8;
/** Above this many units (a street rather than a community): one attempt and fewer candidates per pair re-split. */
export const LARGE_UNITS = 300;

function attemptQuality(
  u: Units,
  P: Partitioner,
  grid: Int32Array,
  count: number,
  exempt: Set<number>,
  target: number,
  tol: number,
): number {
  const load = new Array(count).fill(0);
  const area = new Array(count).fill(0);
  const perim = new Array(count).fill(0);
  for (let v = 0; v < u.n; v++) {
    const g = grid[v] ?? -1;
    if (g < 0) continue;
    load[g] += u.h[v] ?? 0;
    area[g] += u.area[v] ?? 0;
    perim[g] += u.perim[v] ?? 0;
    const nb = u.adj.nbr[v] ?? [];
    for (let j = 0; j < nb.length; j++) if ((grid[nb[j] ?? 0] ?? -1) === g) perim[g] -= u.adj.len[v]?.[j] ?? 0;
  }
  let beyond10 = 0;
  let beyond5 = 0;
  let penalty = 0;
  let ppSum = 0;
  let ppLow = 0;
  let ppBelow = 0;
  let n = 0;
  for (let g = 0; g < count; g++) {
    if (perim[g] <= 0) continue;
    n++;
    const pp = (4 * Math.PI * area[g]) / (perim[g] * perim[g]);
    ppSum += pp;
    ppLow += Math.max(0, 0.3 - pp);
    if (pp < 0.25) ppBelow++;
    if (exempt.has(g)) continue;
    const d = Math.abs(load[g] - target) / target;
    if (d > HARD_TOLERANCE + 1e-9) beyond10++;
    if (d > tol + 1e-9) beyond5++;
    penalty += P.pen(load[g]);
  }
  const ppMean = n > 0 ? ppSum / n : 1;
  return beyond10 * 1000 + ppBelow * 300 + beyond5 * 100 + Math.min(penalty, 10) + 5 * (1 - ppMean) + 20 * ppLow;
}

/** Grid counts per component when the caller forces `total` grids: proportional to households, at least 1 each. */
function allocateGrids(households: readonly number[], total: number): number[] {
  const n = households.length;
  if (n === 0) return [];
  const k = Math.max(total, n);
  const H = households.reduce((s, h) => s + h, 0);
  const share = households.map((h) => (H > 0 ? (h / H) * k : k / n));
  const out = share.map((s) => Math.max(1, Math.floor(s)));
  let left = k - out.reduce((s, x) => s + x, 0);
  const order = share.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let j = 0; left > 0; j = (j + 1) % n, left--) out[order[j]?.i ?? 0] = (out[order[j]?.i ?? 0] ?? 0) + 1;
  while (left < 0) {
    // more components than asked for grids were given 1 each; take back from the largest shares
    let best = -1;
    for (let i = 0; i < n; i++) if ((out[i] ?? 0) > 1 && (best < 0 || (out[i] ?? 0) > (out[best] ?? 0))) best = i;
    if (best < 0) break;
    out[best] = (out[best] ?? 0) - 1;
    left++;
  }
  return out;
}

function partitionAttempt(
  u: Units,
  target: number,
  seed: number,
  tol: number,
  forcedK?: number,
  alternateK = false,
  powerSeed = false,
): Attempt {
  const P = new Partitioner(u, target, seed, tol);
  const all = Array.from({ length: u.n }, (_, i) => i);
  const totalArea = u.area.reduce((s, a) => s + a, 0);
  const totalH = P.sum(all);
  P.setScale(totalArea, Math.max(1, Math.round(totalH / target)));
  const grid = new Int32Array(u.n).fill(-1);
  const exempt = new Set<number>();
  const reasons = new Map<number, string>();
  const averageNote = new Map<number, string>();
  let gridCount = 0;
  let degenerate = false;

  // towers: a unit above the target is its own grid
  const towers = all.filter((v) => (u.h[v] ?? 0) > target);
  for (const v of towers) {
    grid[v] = gridCount;
    exempt.add(gridCount);
    const b = u.buildings[v] ?? [];
    reasons.set(
      gridCount,
      b.length === 1
        ? `building ${b[0]} alone has ${u.h[v]} households (target ${target}): its own grid`
        : `an indivisible unit of ${b.length} buildings has ${u.h[v]} households (target ${target}): its own grid`,
    );
    gridCount++;
  }
  const rest = all.filter((v) => grid[v] === -1);
  const comps = components(u.adj, rest);
  const forced =
    forcedK === undefined
      ? null
      : allocateGrids(
          comps.map((c) => P.sum(c)),
          Math.max(1, forcedK - towers.length),
        );
  for (const [ci, comp] of comps.entries()) {
    const H = P.sum(comp);
    // the grid count whose average lies closest to the target (not simply round(H / T))
    let k = Math.floor(H / target);
    if (k === 0 || Math.abs(H / (k + 1) - target) < Math.abs(H / k - target)) k += 1;
    if (H < target / 2) k = 0;
    // every other attempt tries the other neighbouring count when its average is also within the tolerance
    // (e.g. 2,090 households: 10 grids of 209 or 11 of 190 — which packs better depends on the units)
    const other = k > Math.floor(H / target) ? k - 1 : k + 1;
    if (alternateK && k > 0 && other > 0 && Math.abs(H / other - target) <= tol * target) k = other;
    if (forced) k = forced[ci] ?? 1;
    if (k === 0) {
      // too small for a grid of its own: join the lightest adjacent tower grid, else stand alone
      let host = -1;
      let hostH = Number.POSITIVE_INFINITY;
      for (const v of comp)
        for (const w of u.adj.nbr[v] ?? []) {
          const g = grid[w] ?? -1;
          if (g >= 0 && exempt.has(g)) {
            const gh = P.sum(all.filter((x) => grid[x] === g));
            if (gh < hostH || (gh === hostH && g < host)) {
              host = g;
              hostH = gh;
            }
          }
        }
      if (host >= 0) {
        for (const v of comp) grid[v] = host;
        reasons.set(
          host,
          `${reasons.get(host) ?? ""}; it also takes in ${H} households of a part cut off from the rest (less than half a grid)`,
        );
        continue;
      }
      k = 1;
    }
    const average = H / k;
    const compact = powerSeed && k > 1 && comp.length > k ? powerSplit(u, comp, k, mulberry32(seed)) : null;
    // a power diagram that lost a region (a centre with no units left) makes the attempt void, not a grid short
    if (compact && compact.length !== k) degenerate = true;
    const parts = compact ?? P.bisect(comp, Math.min(k, comp.length));
    for (const part of parts) {
      for (const v of part) grid[v] = gridCount;
      if (k > 0 && Math.abs(average - target) / target > tol)
        averageNote.set(
          gridCount,
          `the ${H} households of this part cannot be divided into grids of ${target}: ${k} grid(s) average ${Math.round(average)} (${average > target ? "+" : ""}${(((average - target) / target) * 100).toFixed(1)}%)`,
        );
      gridCount++;
    }
  }

  const gridSide = Math.sqrt(totalArea / Math.max(gridCount, 1));
  const improver = new Improver(u, P, grid, gridCount, exempt, target, tol, gridSide);
  improver.repair();
  improver.refine();
  improver.repair();
  improver.compactify();
  improver.repair();
  const rec = new Recombiner(u, grid, gridCount, exempt, target, tol, gridSide, mulberry32(seed ^ 0x5a5a5a5a));
  // fewer candidates per pair on large graphs (a street): the time per pair stays, the pairs grow with the grids
  const large = u.n > LARGE_UNITS;
  rec.shapes = large ? { angles: 6, discs: 3 } : { angles: SWEEP_ANGLES, discs: DISCS };
  rec.recombine(RECOMBINE_ROUNDS, large ? 4 : 8);
  if (rec.recombineTriples(large ? 4 : TRIPLE_TREES) > 0) rec.recombine(RECOMBINE_ROUNDS, large ? 4 : 8);
  rec.reuniteBlocks();
  const quality = degenerate ? Number.POSITIVE_INFINITY : attemptQuality(u, P, grid, gridCount, exempt, target, tol);
  return { P, grid, exempt, reasons, averageNote, quality };
}

/** Partition one community's cell graph. Deterministic for a given graph, options and seed. */
export function autoPartition(graph: CellGraph, options: PartitionOptions): PartitionResult {
  return partitionGraph(graph, options);
}

/**
 * Partition a cell graph into exactly `gridCount` grids where the graph allows it (e.g. re-splitting two neighbouring
 * grids after a hand edit: `partitionInto(pairGraph, 2, {target})`). Towers (units above the target) still get a grid
 * of their own and count towards `gridCount`; each connected part gets at least one grid, so a graph of more parts
 * (or towers) than `gridCount` yields more grids; a part can never hold more grids than it has units.
 */
export function partitionInto(graph: CellGraph, gridCount: number, options: PartitionOptions): PartitionResult {
  if (!Number.isInteger(gridCount) || gridCount < 1)
    throw new Error(`gridCount must be a positive whole number, got ${gridCount}`);
  return partitionGraph(graph, options, gridCount);
}

function partitionGraph(graph: CellGraph, options: PartitionOptions, forcedK?: number): PartitionResult {
  const target = options.target;
  if (!Number.isFinite(target) || target <= 0) throw new Error(`target must be a positive number, got ${target}`);
  const tol = options.tolerance ?? 0.05;
  const u = buildUnits(graph, target, options.blockHouseholds);
  const all = Array.from({ length: u.n }, (_, i) => i);
  // multi-start: several seeded attempts (derived from the seed), the best by balance, then compactness
  if (options.attempts !== undefined && (!Number.isInteger(options.attempts) || options.attempts < 1))
    throw new Error(`attempts must be a positive whole number, got ${options.attempts}`);
  const attempts = options.attempts ?? (u.n > LARGE_UNITS ? 1 : ATTEMPTS);
  const seedRand = mulberry32(options.seed ?? 1);
  let chosen: Attempt | null = null;
  // plus compact attempts (power-diagram seeding) when there is a choice at all
  const extra = attempts > 1 ? POWER_ATTEMPTS : 0;
  for (let a = 0; a < attempts + extra; a++) {
    const attemptSeed = a === 0 ? (options.seed ?? 1) : Math.floor(seedRand() * 2 ** 31);
    const attempt = partitionAttempt(u, target, attemptSeed, tol, forcedK, a % 2 === 1, a >= attempts);
    if (!chosen || attempt.quality < chosen.quality - 1e-12) chosen = attempt;
  }
  const { P, grid, exempt, reasons, averageNote } = chosen as Attempt;
  // result, grids ordered by their smallest cell id (codes are assigned later, west→east, north→south)
  const groups = new Map<number, number[]>();
  for (let v = 0; v < u.n; v++) {
    const g = grid[v] ?? -1;
    const list = groups.get(g);
    if (list) list.push(v);
    else groups.set(g, [v]);
  }
  const built = [...groups.entries()].map(([g, members]) => {
    const cellIds = members.flatMap((v) => u.cells[v] ?? []).sort((p, q) => p - q);
    const buildingIds = members.flatMap((v) => u.buildings[v] ?? []).sort((p, q) => p - q);
    return { g, members, cellIds, households: P.sum(members), buildingIds };
  });
  built.sort((p, q) => (p.cellIds[0] ?? 0) - (q.cellIds[0] ?? 0));
  const exceptions: PartitionException[] = [];
  built.forEach((b, i) => {
    const dev = Math.abs(b.households - target) / target;
    const tower = reasons.get(b.g);
    if (tower) exceptions.push({ grid: i, households: b.households, reason: tower });
    else if (dev > HARD_TOLERANCE) {
      const comp = components(u.adj, all).find((c) => c.includes(b.members[0] ?? 0)) ?? [];
      const alone = comp.every((v) => (grid[v] ?? -1) === b.g || exempt.has(grid[v] ?? -1));
      let reason: string;
      const note = averageNote.get(b.g);
      if (b.households === 0) reason = "no households in this part of the community";
      else if (note) reason = note;
      else if (alone)
        reason = `this part of the community is cut off from the rest (by a river, a boundary or larger buildings) and holds ${b.households} households`;
      else
        reason = `the buildings and small blocks here cannot be combined within ±10% (indivisible units up to ${Math.max(...b.members.map((v) => u.h[v] ?? 0))} households)`;
      exceptions.push({ grid: i, households: b.households, reason });
    }
  });
  return {
    target,
    grids: built.map((b) => ({ cellIds: b.cellIds, households: b.households, buildingIds: b.buildingIds })),
    exceptions,
  };
}

/** Local improvement on a unit → grid assignment; every move keeps grids contiguous and non-empty. */
class Improver {
  private readonly loads: number[];
  private readonly members: Set<number>[];
  private readonly mu = 0.02;
  constructor(
    private readonly u: Units,
    private readonly P: Partitioner,
    private readonly grid: Int32Array,
    private readonly count: number,
    private readonly exempt: Set<number>,
    private readonly target: number,
    private readonly tol: number,
    private readonly l0: number,
  ) {
    this.loads = new Array(count).fill(0);
    this.areas = new Array(count).fill(0);
    this.perims = new Array(count).fill(0);
    this.members = Array.from({ length: count }, () => new Set<number>());
    for (let v = 0; v < u.n; v++) {
      const g = grid[v] ?? -1;
      if (g < 0) continue;
      this.loads[g] = (this.loads[g] ?? 0) + (u.h[v] ?? 0);
      this.areas[g] = (this.areas[g] ?? 0) + (u.area[v] ?? 0);
      this.perims[g] = (this.perims[g] ?? 0) + (u.perim[v] ?? 0) - this.sharedWith(v, g);
      this.members[g]?.add(v);
    }
  }

  private readonly areas: number[];
  private readonly perims: number[];

  /** Boundary length between unit v and the units of grid q (v itself excluded). */
  private sharedWith(v: number, q: number): number {
    let s = 0;
    const nb = this.u.adj.nbr[v] ?? [];
    for (let j = 0; j < nb.length; j++) if ((this.grid[nb[j] ?? 0] ?? -1) === q) s += this.u.adj.len[v]?.[j] ?? 0;
    return s;
  }

  private pp(area: number, perim: number): number {
    return perim > 0 ? (4 * Math.PI * area) / (perim * perim) : 1;
  }

  /** Whether moving v to q keeps both grids compact enough (Polsby–Popper ≥ 0.3, or not worse than now). */
  private compactAfter(v: number, q: number): boolean {
    const from = this.grid[v] ?? -1;
    const a = this.u.area[v] ?? 0;
    const p = this.u.perim[v] ?? 0;
    const sFrom = this.sharedWith(v, from);
    const sTo = this.sharedWith(v, q);
    const ppFrom = this.pp((this.areas[from] ?? 0) - a, (this.perims[from] ?? 0) - p + 2 * sFrom);
    const ppTo = this.pp((this.areas[q] ?? 0) + a, (this.perims[q] ?? 0) + p - 2 * sTo);
    const floor = (g: number) => Math.min(0.26, this.pp(this.areas[g] ?? 0, this.perims[g] ?? 0));
    return ppFrom >= floor(from) - 1e-9 && ppTo >= floor(q) - 1e-9;
  }

  private dev(g: number): number {
    return ((this.loads[g] ?? 0) - this.target) / this.target;
  }

  /** Cut-cost change (normalised) of moving v to grid q. */
  private cutDelta(v: number, q: number): number {
    const from = this.grid[v] ?? -1;
    let d = 0;
    const nb = this.u.adj.nbr[v] ?? [];
    for (let j = 0; j < nb.length; j++) {
      const g = this.grid[nb[j] ?? 0] ?? -1;
      const c = this.u.cost[v]?.[j] ?? 0;
      d += (g !== q ? c : 0) - (g !== from ? c : 0);
    }
    return (this.mu * d) / this.l0;
  }

  private canLeave(v: number): boolean {
    const g = this.grid[v] ?? -1;
    const m = this.members[g];
    if (!m || m.size <= 1) return false;
    if (this.exempt.has(g) && (this.u.h[v] ?? 0) > this.target) return false;
    return isConnected(this.u.adj, [...m], v, this.grid as unknown as Int32Array, g);
  }

  private move(v: number, q: number): void {
    const from = this.grid[v] ?? -1;
    const h = this.u.h[v] ?? 0;
    const a = this.u.area[v] ?? 0;
    const p = this.u.perim[v] ?? 0;
    this.perims[from] = (this.perims[from] ?? 0) - p + 2 * this.sharedWith(v, from);
    this.perims[q] = (this.perims[q] ?? 0) + p - 2 * this.sharedWith(v, q);
    this.areas[from] = (this.areas[from] ?? 0) - a;
    this.areas[q] = (this.areas[q] ?? 0) + a;
    this.loads[from] = (this.loads[from] ?? 0) - h;
    this.loads[q] = (this.loads[q] ?? 0) + h;
    this.members[from]?.delete(v);
    this.members[q]?.add(v);
    this.grid[v] = q;
  }

  private gridNeighbours(g: number): number[] {
    const out = new Set<number>();
    for (const v of this.members[g] ?? [])
      for (const w of this.u.adj.nbr[v] ?? []) {
        const q = this.grid[w] ?? -1;
        if (q !== g && q >= 0) out.add(q);
      }
    return [...out].sort((p, q) => p - q);
  }

  /** Multi-hop balance repair: move boundary units along a path of grids from over- to under-loaded. */
  repair(): void {
    const maxRounds = 30 * Math.max(1, this.count);
    let rounds = 0;
    let progress = true;
    while (progress && rounds < maxRounds) {
      progress = false;
      const bad = [];
      for (let g = 0; g < this.count; g++)
        if (!this.exempt.has(g) && Math.abs(this.dev(g)) > this.tol && (this.members[g]?.size ?? 0) > 0) bad.push(g);
      bad.sort((p, q) => Math.abs(this.dev(q)) - Math.abs(this.dev(p)) || p - q);
      for (const g of bad) {
        rounds++;
        if (this.repairOne(g)) {
          progress = true;
          break;
        }
      }
    }
  }

  private repairOne(g: number): boolean {
    const over = this.dev(g) > 0;
    // BFS over the grid graph (not through exempt grids) to grids with the opposite need
    const prev = new Map<number, number>([[g, -1]]);
    const queue = [g];
    const ends: number[] = [];
    for (let i = 0; i < queue.length && ends.length < 6; i++) {
      const x = queue[i] ?? 0;
      for (const y of this.gridNeighbours(x)) {
        if (prev.has(y) || this.exempt.has(y)) continue;
        prev.set(y, x);
        queue.push(y);
        if (over ? this.dev(y) < 0 : this.dev(y) > 0) ends.push(y);
      }
    }
    for (const end of ends) {
      const path: number[] = [];
      for (let x = end; x !== -1; x = prev.get(x) ?? -1) path.push(x);
      path.reverse(); // g … end
      const chain = over ? path : [...path].reverse(); // from surplus to deficit
      const need = Math.abs((this.loads[g] ?? 0) - this.target);
      if (this.tryChain(chain, need)) return true;
      const sink = chain[chain.length - 1] ?? 0;
      const small = Math.min(
        need,
        this.target - (this.loads[sink] ?? 0),
        (this.loads[chain[0] ?? 0] ?? 0) - this.target,
      );
      if (small > 0 && small < need && this.tryChain(chain, small)) return true;
    }
    return false;
  }

  private tryChain(chain: number[], amount: number): boolean {
    const touched = [...new Set(chain)];
    const before = touched.reduce((s, x) => s + this.P.pen(this.loads[x] ?? 0), 0);
    if (amount <= 0) return false;
    const moves: Array<[number, number]> = [];
    let cutChange = 0;
    let ok = true;
    for (let i = 0; i + 1 < chain.length && ok; i++) {
      const from = chain[i] ?? 0;
      const to = chain[i + 1] ?? 0;
      // what this hop must pass on: the amount at the first hop, then whatever the grid now holds above the target
      let remaining = i === 0 ? amount : (this.loads[from] ?? 0) - this.target;
      let movedHere = 0;
      const slack = this.tol * this.target;
      for (let guard = 0; guard < 50 && remaining > slack / 2; guard++) {
        let best = -1;
        let bestKey = Number.POSITIVE_INFINITY;
        for (const v of [...(this.members[from] ?? [])].sort((p, q) => p - q)) {
          const h = this.u.h[v] ?? 0;
          if (h <= 0 || h >= 2 * remaining + slack) continue;
          if (!(this.u.adj.nbr[v] ?? []).some((w) => this.grid[w] === to)) continue;
          const key = Math.abs(h - remaining) + this.cutDelta(v, to) * this.target;
          if (key < bestKey && this.compactAfter(v, to) && this.canLeave(v)) {
            bestKey = key;
            best = v;
          }
        }
        if (best < 0) break;
        cutChange += this.cutDelta(best, to);
        remaining -= this.u.h[best] ?? 0;
        this.move(best, to);
        moves.push([best, from]);
        movedHere++;
      }
      if (movedHere === 0) ok = false;
    }
    const after = touched.reduce((s, x) => s + this.P.pen(this.loads[x] ?? 0), 0) + cutChange;
    if (ok && after < before - 1e-9) return true;
    for (let i = moves.length - 1; i >= 0; i--) {
      const [v, from] = moves[i] as [number, number];
      this.move(v, from);
    }
    return false;
  }

  /** Polsby–Popper of grid g after adding (sign 1) or removing (sign −1) unit v. */
  private ppAfter(g: number, v: number, sign: 1 | -1): number {
    const a = (this.areas[g] ?? 0) + sign * (this.u.area[v] ?? 0);
    const shared = this.sharedWith(v, g);
    const p = (this.perims[g] ?? 0) + sign * (this.u.perim[v] ?? 0) - sign * 2 * shared;
    return this.pp(a, p);
  }

  /**
   * Compactness refinement: move boundary units to a neighbouring grid when that raises the Polsby–Popper of the
   * two grids (the lower one weighted more) while both stay within the balance tolerance they have now (a grid
   * within ±5 % stays within ±5 %, one outside does not get worse) and the source stays contiguous.
   */
  compactify(): void {
    const within = (h: number) => Math.abs(h - this.target) / this.target <= this.tol + 1e-9;
    for (let pass = 0; pass < 6; pass++) {
      let moved = 0;
      for (let v = 0; v < this.u.n; v++) {
        const g = this.grid[v] ?? -1;
        if (g < 0 || this.exempt.has(g)) continue;
        const h = this.u.h[v] ?? 0;
        const lg = this.loads[g] ?? 0;
        const ppG = this.pp(this.areas[g] ?? 0, this.perims[g] ?? 0);
        let bestQ = -1;
        let bestGain = 0.004;
        const options = new Set<number>();
        for (const w of this.u.adj.nbr[v] ?? []) {
          const q = this.grid[w] ?? -1;
          if (q !== g && q >= 0 && !this.exempt.has(q)) options.add(q);
        }
        for (const q of [...options].sort((p, r) => p - r)) {
          const lq = this.loads[q] ?? 0;
          const okG = within(lg) ? within(lg - h) : Math.abs(lg - h - this.target) <= Math.abs(lg - this.target);
          const okQ = within(lq) ? within(lq + h) : Math.abs(lq + h - this.target) <= Math.abs(lq - this.target);
          if (!okG || !okQ) continue;
          const ppQ = this.pp(this.areas[q] ?? 0, this.perims[q] ?? 0);
          const nG = this.ppAfter(g, v, -1);
          const nQ = this.ppAfter(q, v, 1);
          // the lower of the two counts double, so a thin grid gains first
          const gain = nG + nQ + Math.min(nG, nQ) - (ppG + ppQ + Math.min(ppG, ppQ)) - this.cutDelta(v, q);
          if (gain > bestGain) {
            bestGain = gain;
            bestQ = q;
          }
        }
        if (bestQ >= 0 && this.canLeave(v)) {
          this.move(v, bestQ);
          moved++;
        }
      }
      if (moved === 0) break;
    }
  }

  /** Boundary refinement: move single boundary units when that lowers balance penalty + boundary cost. */
  refine(): void {
    for (let pass = 0; pass < 3; pass++) {
      let moved = 0;
      for (let v = 0; v < this.u.n; v++) {
        const g = this.grid[v] ?? -1;
        if (g < 0 || (this.exempt.has(g) && (this.u.h[v] ?? 0) > this.target)) continue;
        const options = new Set<number>();
        for (const w of this.u.adj.nbr[v] ?? []) {
          const q = this.grid[w] ?? -1;
          if (q !== g && q >= 0) options.add(q);
        }
        let bestQ = -1;
        let bestGain = 1e-9;
        const h = this.u.h[v] ?? 0;
        for (const q of [...options].sort((p, r) => p - r)) {
          const bal =
            this.P.pen((this.loads[g] ?? 0) - h) +
            this.P.pen((this.loads[q] ?? 0) + h) -
            this.P.pen(this.loads[g] ?? 0) -
            this.P.pen(this.loads[q] ?? 0);
          const gain = -(bal + this.cutDelta(v, q));
          if (gain > bestGain) {
            bestGain = gain;
            bestQ = q;
          }
        }
        if (bestQ >= 0 && this.compactAfter(v, bestQ) && this.canLeave(v)) {
          this.move(v, bestQ);
          moved++;
        }
      }
      if (moved === 0) break;
    }
  }
}

/**
 * Re-partition only the given grids of an existing partition (e.g. after a hand edit): their cells are partitioned
 * again with the same options; every other grid is returned unchanged.
 */
export function repartition(
  graph: CellGraph,
  previous: PartitionResult,
  gridIndices: readonly number[],
  options: PartitionOptions,
): PartitionResult {
  const chosen = new Set(gridIndices);
  const cellSet = new Set<number>();
  for (const i of chosen) for (const c of previous.grids[i]?.cellIds ?? []) cellSet.add(c);
  const sub: CellGraph = {
    nodes: graph.nodes.filter((n) => cellSet.has(n.id)),
    edges: graph.edges.filter((e) => cellSet.has(e.a) && cellSet.has(e.b)),
    together: (graph.together ?? []).filter(([a, b]) => cellSet.has(a) && cellSet.has(b)),
  };
  const wholeBlocks = new Map<number, number>();
  for (const n of graph.nodes) wholeBlocks.set(n.blockId, (wholeBlocks.get(n.blockId) ?? 0) + n.households);
  const part = autoPartition(sub, { ...options, blockHouseholds: options.blockHouseholds ?? wholeBlocks });
  const kept = previous.grids.filter((_, i) => !chosen.has(i));
  const grids = [...kept, ...part.grids];
  const exceptions: PartitionException[] = [];
  previous.exceptions.forEach((e) => {
    if (chosen.has(e.grid)) return;
    const g = previous.grids[e.grid];
    exceptions.push({ ...e, grid: g ? grids.indexOf(g) : -1 });
  });
  for (const e of part.exceptions) exceptions.push({ ...e, grid: kept.length + e.grid });
  return { target: options.target, grids, exceptions };
}

/** Sweep-line angles and disc centres tried per pair re-split. */
const SWEEP_ANGLES = 12;
const DISCS = 6;
/** Spanning-tree cuts per tree evaluated in full (the best by balance). */
const TOPK = 4;
/** No grid thinner than this Polsby–Popper (issue 3, invariant 6): a step in the recombination cost. */
const PP_FLOOR = 0.25;
/** Share of the internal grid boundary that must run along roads (issue 3, invariant 5). */
export const MIN_ROAD_SHARE = 0.3;
/** Factor on the spanning trees tried for a pair that holds a grid outside ±5 %. */
const OUT_OF_BAND_TREES = 6;
/** Spanning trees tried per three-grid recombination, and triples tried per grid outside ±5 %. */
const TRIPLE_TREES = 12;
const MAX_TRIPLES = 10;
/** Rounds of pair recombination (stops earlier when a round changes nothing). */
const RECOMBINE_ROUNDS = 6;

/**
 * Pair recombination (after ReCom, used as an optimiser) on the whole partition, minimising
 *   Σ balance(load) + Σ shape(Polsby–Popper) + μ · cut cost / grid side
 * where balance is a small quadratic inside ±5 %, a step of 1 (+ slope) beyond ±5 % and a further step of 3 beyond
 * ±10 % (so it counts grids out of the band first), and shape rewards Polsby–Popper linearly with a steep penalty
 * below 0.28. Two adjacent grids are merged and split again; the candidates are cuts of seeded random spanning trees
 * (road edges enter last), straight sweep lines at 12 angles and discs grown from random units (both repaired to
 * contiguity). Large indivisible units (a small block kept whole) move as easily as small ones, which single-unit
 * moves cannot do; exempt grids (towers) never change. Cost per pair is O(m log m) in the pair's units.
 */
class Recombiner {
  private readonly loads: Float64Array;
  private readonly areas: Float64Array;
  private readonly perims: Float64Array;
  private readonly size: Int32Array;
  private readonly stamp: Int32Array;
  /** Sweep-line angles and disc centres per pair re-split. */
  shapes = { angles: SWEEP_ANGLES, discs: DISCS };
  /** Scratch: local index of a unit within the pair being re-split. */
  private readonly local: Int32Array;
  private epoch = 0;
  private readonly frozen: Uint8Array;
  constructor(
    private readonly u: Units,
    private readonly grid: Int32Array,
    private readonly count: number,
    exempt: Set<number>,
    private readonly target: number,
    private readonly tol: number,
    private readonly l0: number,
    private readonly rand: () => number,
    private readonly mu = 0.03,
  ) {
    this.loads = new Float64Array(count);
    this.areas = new Float64Array(count);
    this.perims = new Float64Array(count);
    this.size = new Int32Array(count);
    this.stamp = new Int32Array(u.n);
    this.local = new Int32Array(u.n);
    this.frozen = new Uint8Array(count);
    for (const g of exempt) if (g >= 0 && g < count) this.frozen[g] = 1;
    this.recompute();
  }

  /** Total internal boundary between grids and the part of it along roads (for the road-share floor). */
  private cutLen = 0;
  private cutRoad = 0;

  private recompute(): void {
    this.cutLen = 0;
    this.cutRoad = 0;
    for (let v = 0; v < this.u.n; v++) {
      const nb = this.u.adj.nbr[v] ?? [];
      for (let j = 0; j < nb.length; j++) {
        const w = nb[j] ?? 0;
        if (w <= v || this.grid[w] === this.grid[v]) continue;
        const l = this.u.adj.len[v]?.[j] ?? 0;
        this.cutLen += l;
        this.cutRoad += Math.min(this.u.adj.road[v]?.[j] ?? 0, l);
      }
    }
    this.loads.fill(0);
    this.areas.fill(0);
    this.perims.fill(0);
    this.size.fill(0);
    for (let v = 0; v < this.u.n; v++) {
      const g = this.grid[v] ?? -1;
      if (g < 0) continue;
      this.loads[g] = (this.loads[g] ?? 0) + (this.u.h[v] ?? 0);
      this.areas[g] = (this.areas[g] ?? 0) + (this.u.area[v] ?? 0);
      this.perims[g] = (this.perims[g] ?? 0) + (this.u.perim[v] ?? 0) - this.sharedWith(v, g);
      this.size[g] = (this.size[g] ?? 0) + 1;
    }
  }

  balance(h: number): number {
    const d = Math.abs(h - this.target) / this.target;
    return (
      4 * d * d +
      (d > this.tol + 1e-9 ? 1 + 10 * (d - this.tol) : 0) +
      (d > HARD_TOLERANCE + 1e-9 ? 3 + 30 * (d - HARD_TOLERANCE) : 0)
    );
  }

  shape(area: number, perim: number): number {
    const pp = perim > 0 ? (4 * Math.PI * area) / (perim * perim) : 1;
    return 0.6 * (1 - pp) + 4 * Math.max(0, 0.28 - pp) + (pp < PP_FLOOR ? 2 : 0);
  }

  private gridCost(g: number, load: number, area: number, perim: number): number {
    return this.frozen[g] ? 0 : this.balance(load) + this.shape(area, perim);
  }

  /** Total cost of the current state (cut cost included). */
  total(): number {
    let s = 0;
    for (let g = 0; g < this.count; g++)
      if ((this.size[g] ?? 0) > 0) s += this.gridCost(g, this.loads[g] ?? 0, this.areas[g] ?? 0, this.perims[g] ?? 0);
    let cut = 0;
    for (let v = 0; v < this.u.n; v++) {
      const nb = this.u.adj.nbr[v] ?? [];
      for (let j = 0; j < nb.length; j++)
        if ((nb[j] ?? 0) > v && this.grid[nb[j] ?? 0] !== this.grid[v]) cut += this.u.cost[v]?.[j] ?? 0;
    }
    return s + (this.mu * cut) / this.l0;
  }

  private sharedWith(v: number, q: number): number {
    let s = 0;
    const nb = this.u.adj.nbr[v] ?? [];
    const ln = this.u.adj.len[v] ?? [];
    for (let j = 0; j < nb.length; j++) if (this.grid[nb[j] ?? 0] === q) s += ln[j] ?? 0;
    return s;
  }

  private inBand(g: number): boolean {
    return Math.abs((this.loads[g] ?? 0) - this.target) <= this.tol * this.target + 1e-9;
  }

  private memberLists(): number[][] {
    const lists: number[][] = Array.from({ length: this.count }, () => []);
    for (let v = 0; v < this.u.n; v++) {
      const g = this.grid[v] ?? -1;
      if (g >= 0) lists[g]?.push(v);
    }
    return lists;
  }

  /** Adjacent pairs of grids that may change (g < q), in index order. */
  private gridPairs(): Array<[number, number]> {
    const seen = new Set<number>();
    const out: Array<[number, number]> = [];
    for (let v = 0; v < this.u.n; v++) {
      const g = this.grid[v] ?? -1;
      if (g < 0 || this.frozen[g]) continue;
      for (const w of this.u.adj.nbr[v] ?? []) {
        const q = this.grid[w] ?? -1;
        if (q <= g || this.frozen[q]) continue;
        const key = g * this.count + q;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([g, q]);
      }
    }
    return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  /**
   * Recombination (as in ReCom, but as an optimiser): merge two adjacent grids and split the union again along an
   * edge of a seeded random spanning tree (road edges enter last, so cuts fall on roads); the best split by
   * balance + shape + cut cost replaces the pair when it is better. Each side of a tree cut is connected, so
   * contiguity holds by construction, and large indivisible units move as easily as small ones.
   */
  recombine(rounds: number, trees: number): void {
    const lists = this.memberLists();
    let dirty = new Uint8Array(this.count).fill(1);
    for (let round = 0; round < rounds; round++) {
      const pairs = this.gridPairs();
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = Math.floor(this.rand() * (i + 1));
        const t = pairs[i] as [number, number];
        pairs[i] = pairs[j] as [number, number];
        pairs[j] = t;
      }
      // after the first round only pairs touching a grid that changed in the previous round are tried again
      const changed = new Uint8Array(this.count);
      let improved = 0;
      for (const [g, q] of pairs) {
        if (round > 0 && !dirty[g] && !dirty[q]) continue;
        // a pair with a grid outside ±5 % whose households could fill two grids within ±5 % gets many more trees: an
        // exact fit is often a rare cut
        const both = (this.loads[g] ?? 0) + (this.loads[q] ?? 0);
        const out =
          (!this.inBand(g) || !this.inBand(q)) && Math.abs(both - 2 * this.target) <= 2 * this.tol * this.target;
        if (this.resplit(g, q, lists, out ? trees * OUT_OF_BAND_TREES : trees)) {
          improved++;
          changed[g] = 1;
          changed[q] = 1;
        }
      }
      dirty = changed;
      if (improved === 0) break;
    }
  }

  /**
   * A seeded random spanning tree of a local graph (road edges enter last), as BFS order and parents from a random
   * root; null when the graph is not connected.
   */
  private randomTree(
    m: number,
    ea: readonly number[],
    eb: readonly number[],
    eroad: readonly number[],
  ): { order: Int32Array; par: Int32Array } | null {
    const keys = ea.map((_, k) => (eroad[k] ?? 0) + this.rand());
    const idx = ea.map((_, k) => k).sort((p, r) => (keys[p] ?? 0) - (keys[r] ?? 0));
    const ds = createDisjointSet(m);
    const head = new Int32Array(m).fill(-1);
    const next = new Int32Array(2 * m);
    const to = new Int32Array(2 * m);
    let ne = 0;
    for (const k of idx) {
      const a = ea[k] ?? 0;
      const b = eb[k] ?? 0;
      if (!ds.union(a, b)) continue;
      to[ne] = b;
      next[ne] = head[a] ?? -1;
      head[a] = ne++;
      to[ne] = a;
      next[ne] = head[b] ?? -1;
      head[b] = ne++;
    }
    if (ne !== 2 * (m - 1)) return null;
    const root = Math.floor(this.rand() * m);
    const par = new Int32Array(m).fill(-2);
    const order = new Int32Array(m);
    par[root] = -1;
    order[0] = root;
    let len = 1;
    for (let i = 0; i < len; i++) {
      const v = order[i] ?? 0;
      for (let x = head[v] ?? -1; x >= 0; x = next[x] ?? -1) {
        const w = to[x] ?? 0;
        if (par[w] === -2) {
          par[w] = v;
          order[len++] = w;
        }
      }
    }
    return { order, par };
  }

  /**
   * Three-grid recombination for each grid still outside ±5 % after the pair rounds: the grid and two neighbours
   * (of it, or of the first neighbour) are merged and cut at two edges of a seeded random spanning tree into three
   * connected parts; the best by balance + shape + cut cost replaces the three when their cost falls. This moves a
   * whole row of indivisible units at once, which no pair can. Returns how many triples changed.
   */
  recombineTriples(trees: number): number {
    const lists = this.memberLists();
    let changed = 0;
    for (let g = 0; g < this.count; g++) {
      if (this.frozen[g] || (this.size[g] ?? 0) === 0 || this.inBand(g)) continue;
      const around = (x: number) => {
        const out = new Set<number>();
        for (const v of lists[x] ?? [])
          for (const w of this.u.adj.nbr[v] ?? []) {
            const y = this.grid[w] ?? -1;
            if (y >= 0 && y !== x && !this.frozen[y]) out.add(y);
          }
        return [...out].sort((a, b) => a - b);
      };
      const triples: Array<[number, number]> = [];
      const first = around(g);
      for (const q of first)
        for (const r of [...new Set([...first, ...around(q)])].sort((a, b) => a - b))
          if (r !== g && r !== q && !(first.includes(r) && r < q)) triples.push([q, r]);
      for (const [q, r] of triples.slice(0, MAX_TRIPLES)) {
        if (this.resplit3([g, q, r], lists, trees)) {
          changed++;
          break;
        }
      }
    }
    return changed;
  }

  private resplit3(ids: [number, number, number], lists: number[][], trees: number): boolean {
    const U = ids.flatMap((x) => lists[x] ?? []);
    const m = U.length;
    if (m < 3 || m > 600) return false;
    const { ea, eb, elen, ecost, eroadLen, eroad, h, area, ext } = this.localGraph(U);
    const was = new Int32Array(m);
    for (let i = 0; i < m; i++) was[i] = ids.indexOf(this.grid[U[i] ?? 0] ?? -1);
    let oldCut = 0;
    for (let k = 0; k < ea.length; k++) if (was[ea[k] ?? 0] !== was[eb[k] ?? 0]) oldCut += ecost[k] ?? 0;
    let old = (this.mu * oldCut) / this.l0;
    for (const x of ids) old += this.gridCost(x, this.loads[x] ?? 0, this.areas[x] ?? 0, this.perims[x] ?? 0);
    let H = 0;
    for (let i = 0; i < m; i++) H += h[i] ?? 0;
    let bestCost = old - 1e-9;
    let best: Int32Array | null = null;
    const sub = new Float64Array(m);
    const size = new Int32Array(m);
    const tin = new Int32Array(m);
    const part = new Int32Array(m);
    for (let t = 0; t < trees; t++) {
      const tree = this.randomTree(m, ea, eb, eroad);
      if (!tree) return false;
      const { order, par } = tree;
      sub.set(h);
      size.fill(1);
      for (let i = m - 1; i > 0; i--) {
        const v = order[i] ?? 0;
        const p = par[v] ?? 0;
        sub[p] = (sub[p] ?? 0) + (sub[v] ?? 0);
        size[p] = (size[p] ?? 0) + (size[v] ?? 0);
      }
      // preorder positions: a child's block starts after its parent's and earlier siblings' blocks
      const nextFree = new Int32Array(m);
      tin[order[0] ?? 0] = 0;
      nextFree[order[0] ?? 0] = 1;
      for (let i = 1; i < m; i++) {
        const v = order[i] ?? 0;
        const p = par[v] ?? 0;
        tin[v] = nextFree[p] ?? 0;
        nextFree[p] = (nextFree[p] ?? 0) + (size[v] ?? 0);
        nextFree[v] = (tin[v] ?? 0) + 1;
      }
      const under = (a: number, b: number) =>
        (tin[a] ?? 0) <= (tin[b] ?? 0) && (tin[b] ?? 0) < (tin[a] ?? 0) + (size[a] ?? 0);
      const top: Array<{ a: number; b: number; bal: number }> = [];
      for (let i = 1; i < m; i++) {
        const a = order[i] ?? 0;
        for (let j = i + 1; j < m; j++) {
          const b = order[j] ?? 0;
          let p1: number;
          let p2: number;
          if (under(a, b)) {
            p1 = sub[b] ?? 0;
            p2 = (sub[a] ?? 0) - p1;
          } else {
            p1 = sub[a] ?? 0;
            p2 = sub[b] ?? 0;
          }
          const bal = this.balance(p1) + this.balance(p2) + this.balance(H - p1 - p2);
          if (top.length < TOPK || bal < (top[top.length - 1]?.bal ?? 0)) {
            top.push({ a, b, bal });
            top.sort((x, y) => x.bal - y.bal || x.a - y.a || x.b - y.b);
            if (top.length > TOPK) top.pop();
          }
        }
      }
      for (const { a, b, bal } of top) {
        if (bal >= bestCost) break;
        // part 0 = the rest, 1 = under a, 2 = under b (b may lie under a: then 1 = under a but not under b)
        for (let i = 0; i < m; i++) {
          const v = order[i] ?? 0;
          part[v] = v === b ? 2 : v === a ? 1 : i === 0 ? 0 : (part[par[v] ?? 0] ?? 0);
        }
        const pa = new Float64Array(3);
        const ph = new Float64Array(3);
        const pp = new Float64Array(3);
        for (let i = 0; i < m; i++) {
          const k = part[i] ?? 0;
          ph[k] = (ph[k] ?? 0) + (h[i] ?? 0);
          pa[k] = (pa[k] ?? 0) + (area[i] ?? 0);
          pp[k] = (pp[k] ?? 0) + (ext[i] ?? 0);
        }
        let cutCost = 0;
        for (let k = 0; k < ea.length; k++) {
          const x = part[ea[k] ?? 0] ?? 0;
          const y = part[eb[k] ?? 0] ?? 0;
          if (x === y) continue;
          pp[x] = (pp[x] ?? 0) + (elen[k] ?? 0);
          pp[y] = (pp[y] ?? 0) + (elen[k] ?? 0);
          cutCost += ecost[k] ?? 0;
        }
        let cost = (this.mu * cutCost) / this.l0;
        for (let k = 0; k < 3; k++) cost += this.gridCost(ids[0], ph[k] ?? 0, pa[k] ?? 0, pp[k] ?? 0);
        if (cost < bestCost) {
          bestCost = cost;
          best = Int32Array.from(part);
        }
      }
    }
    if (!best) return false;
    // road-share floor, as for pairs
    const { len, road, allowed } = this.roadShareAfter({ ea, eb, elen, eroadLen }, was, best);
    if (!allowed) return false;
    // parts → grid ids by the largest overlap (6 permutations)
    let perm = [0, 1, 2];
    let bestOverlap = -1;
    for (const cand of [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]) {
      let ov = 0;
      for (let i = 0; i < m; i++) if (cand[best[i] ?? 0] === was[i]) ov++;
      if (ov > bestOverlap) {
        bestOverlap = ov;
        perm = cand;
      }
    }
    this.cutLen = len;
    this.cutRoad = road;
    for (let i = 0; i < m; i++) this.grid[U[i] ?? 0] = ids[perm[best[i] ?? 0] ?? 0] ?? 0;
    for (const x of ids) lists[x] = [];
    for (const v of U) lists[this.grid[v] ?? 0]?.push(v);
    for (const x of ids) {
      let load = 0;
      let ar = 0;
      let pe = 0;
      for (const v of lists[x] ?? []) {
        load += this.u.h[v] ?? 0;
        ar += this.u.area[v] ?? 0;
        pe += (this.u.perim[v] ?? 0) - this.sharedWith(v, x);
      }
      this.loads[x] = load;
      this.areas[x] = ar;
      this.perims[x] = pe;
      this.size[x] = lists[x]?.length ?? 0;
    }
    return true;
  }

  /**
   * A small block (≤ target) whose cells are not all adjacent in the cell graph (e.g. two pieces touching at a point)
   * is several units; this gathers its pieces into the grid holding most of its households wherever a piece touches
   * that grid, the piece's grid stays connected and no grid's balance status (within ±5 %, within ±10 %) gets worse.
   */
  reuniteBlocks(): void {
    const pieces = new Map<number, number[]>();
    for (let v = 0; v < this.u.n; v++) {
      if (!this.u.smallBlock[v]) continue;
      const b = this.u.block[v] ?? -1;
      const list = pieces.get(b);
      if (list) list.push(v);
      else pieces.set(b, [v]);
    }
    const status = (h: number) => {
      const d = Math.abs(h - this.target) / this.target;
      return d <= this.tol + 1e-9 ? 0 : d <= HARD_TOLERANCE + 1e-9 ? 1 : 2;
    };
    for (const list of pieces.values()) {
      if (list.length < 2) continue;
      const byGrid = new Map<number, number>();
      for (const v of list) {
        const g = this.grid[v] ?? -1;
        byGrid.set(g, (byGrid.get(g) ?? 0) + (this.u.h[v] ?? 0) + 1e-6 * (this.u.area[v] ?? 0));
      }
      if (byGrid.size < 2) continue;
      const home = [...byGrid.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? -1;
      if (home < 0 || this.frozen[home]) continue;
      for (let pass = 0; pass < list.length; pass++) {
        let moved = false;
        for (const v of list) {
          const g = this.grid[v] ?? -1;
          if (g === home || g < 0 || this.frozen[g]) continue;
          if (!(this.u.adj.nbr[v] ?? []).some((w) => this.grid[w] === home)) continue;
          const h = this.u.h[v] ?? 0;
          const lg = this.loads[g] ?? 0;
          const lh = this.loads[home] ?? 0;
          if (status(lg - h) > status(lg) || status(lh + h) > status(lh)) continue;
          if (!this.canLeave(v)) continue;
          this.moveUnit(v, home);
          moved = true;
        }
        if (!moved) break;
      }
    }
  }

  /** Whether grid(v) stays connected and non-empty without v (its neighbours in the grid reach each other). */
  private canLeave(v: number): boolean {
    const g = this.grid[v] ?? -1;
    if ((this.size[g] ?? 0) <= 1) return false;
    const inGrid = (this.u.adj.nbr[v] ?? []).filter((w) => this.grid[w] === g);
    if (inGrid.length <= 1) return inGrid.length === 1;
    this.epoch++;
    const e = this.epoch;
    this.stamp[v] = e;
    const want = new Set(inGrid);
    const start = inGrid[0] ?? 0;
    this.stamp[start] = e;
    want.delete(start);
    const stack = [start];
    while (stack.length > 0 && want.size > 0) {
      const x = stack.pop() as number;
      for (const w of this.u.adj.nbr[x] ?? []) {
        if (this.grid[w] !== g || this.stamp[w] === e) continue;
        this.stamp[w] = e;
        want.delete(w);
        stack.push(w);
      }
    }
    return want.size === 0;
  }

  private moveUnit(v: number, q: number): void {
    const from = this.grid[v] ?? -1;
    const h = this.u.h[v] ?? 0;
    const a = this.u.area[v] ?? 0;
    const p = this.u.perim[v] ?? 0;
    this.perims[from] = (this.perims[from] ?? 0) - p + 2 * this.sharedWith(v, from);
    this.perims[q] = (this.perims[q] ?? 0) + p - 2 * this.sharedWith(v, q);
    this.areas[from] = (this.areas[from] ?? 0) - a;
    this.areas[q] = (this.areas[q] ?? 0) + a;
    this.loads[from] = (this.loads[from] ?? 0) - h;
    this.loads[q] = (this.loads[q] ?? 0) + h;
    this.size[from] = (this.size[from] ?? 0) - 1;
    this.size[q] = (this.size[q] ?? 0) + 1;
    const nb = this.u.adj.nbr[v] ?? [];
    for (let j = 0; j < nb.length; j++) {
      const g = this.grid[nb[j] ?? 0];
      const l = this.u.adj.len[v]?.[j] ?? 0;
      const r = Math.min(this.u.adj.road[v]?.[j] ?? 0, l);
      const sign = (g !== q ? 1 : 0) - (g !== from ? 1 : 0);
      this.cutLen += sign * l;
      this.cutRoad += sign * r;
    }
    this.grid[v] = q;
  }

  /**
   * The plan's internal boundary length and its length on roads if the local units change sides from `before` to
   * `after` (labels per local unit; edges of the local graph); `allowed` when at least MIN_ROAD_SHARE of it stays on
   * roads, or the share does not fall below what it is now.
   */
  private roadShareAfter(
    local: { ea: readonly number[]; eb: readonly number[]; elen: readonly number[]; eroadLen: readonly number[] },
    before: ArrayLike<number>,
    after: ArrayLike<number>,
  ): { len: number; road: number; allowed: boolean } {
    const { ea, eb, elen, eroadLen } = local;
    let oldLen = 0;
    let oldRoad = 0;
    let newLen = 0;
    let newRoad = 0;
    for (let k = 0; k < ea.length; k++) {
      const a = ea[k] ?? 0;
      const b = eb[k] ?? 0;
      if (before[a] !== before[b]) {
        oldLen += elen[k] ?? 0;
        oldRoad += eroadLen[k] ?? 0;
      }
      if (after[a] !== after[b]) {
        newLen += elen[k] ?? 0;
        newRoad += eroadLen[k] ?? 0;
      }
    }
    const len = this.cutLen - oldLen + newLen;
    const road = this.cutRoad - oldRoad + newRoad;
    const share = len > 0 ? road / len : 1;
    const current = this.cutLen > 0 ? this.cutRoad / this.cutLen : 1;
    return { len, road, allowed: !(share < MIN_ROAD_SHARE && share < current - 1e-12) };
  }

  /** The subgraph induced by the units U, in local indices 0…m−1 (edges a < b), with each unit's outer length. */
  private localGraph(U: readonly number[]) {
    const m = U.length;
    this.epoch++;
    const e = this.epoch;
    for (let i = 0; i < m; i++) {
      const v = U[i] ?? 0;
      this.stamp[v] = e;
      this.local[v] = i;
    }
    const ea: number[] = [];
    const eb: number[] = [];
    const elen: number[] = [];
    const ecost: number[] = [];
    const eroadLen: number[] = [];
    const eroad: number[] = [];
    const h = new Float64Array(m);
    const area = new Float64Array(m);
    const ext = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const v = U[i] ?? 0;
      h[i] = this.u.h[v] ?? 0;
      area[i] = this.u.area[v] ?? 0;
      let x = this.u.perim[v] ?? 0;
      const nb = this.u.adj.nbr[v] ?? [];
      for (let j = 0; j < nb.length; j++) {
        const w = nb[j] ?? 0;
        if (this.stamp[w] !== e) continue;
        const l = this.u.adj.len[v]?.[j] ?? 0;
        x -= l;
        const k = this.local[w] ?? 0;
        if (k > i) {
          ea.push(i);
          eb.push(k);
          elen.push(l);
          ecost.push(this.u.cost[v]?.[j] ?? 0);
          eroadLen.push(Math.min(this.u.adj.road[v]?.[j] ?? 0, l));
          eroad.push((this.u.adj.road[v]?.[j] ?? 0) > 0.5 * l ? 1 : 0);
        }
      }
      ext[i] = x;
    }
    return { ea, eb, elen, ecost, eroadLen, eroad, h, area, ext };
  }

  private resplit(g: number, q: number, lists: number[][], trees: number): boolean {
    const U = [...(lists[g] ?? []), ...(lists[q] ?? [])];
    const m = U.length;
    if (m < 2) return false;
    const { ea, eb, elen, ecost, eroadLen, eroad, h, area, ext } = this.localGraph(U);
    const inG = new Uint8Array(m);
    for (let i = 0; i < m; i++) inG[i] = this.grid[U[i] ?? 0] === g ? 1 : 0;
    let oldCut = 0;
    for (let k = 0; k < ea.length; k++) if (inG[ea[k] ?? 0] !== inG[eb[k] ?? 0]) oldCut += ecost[k] ?? 0;
    const old =
      this.gridCost(g, this.loads[g] ?? 0, this.areas[g] ?? 0, this.perims[g] ?? 0) +
      this.gridCost(q, this.loads[q] ?? 0, this.areas[q] ?? 0, this.perims[q] ?? 0) +
      (this.mu * oldCut) / this.l0;
    let H = 0;
    let totalArea = 0;
    let totalExt = 0;
    for (let i = 0; i < m; i++) {
      H += h[i] ?? 0;
      totalArea += area[i] ?? 0;
      totalExt += ext[i] ?? 0;
    }
    let bestCost = old - 1e-9;
    let bestSide: Uint8Array | null = null;
    const order = new Int32Array(m);
    const par = new Int32Array(m);
    const subH = new Float64Array(m);
    const subA = new Float64Array(m);
    const subE = new Float64Array(m);
    const side = new Uint8Array(m);
    const keys = ea.map(() => 0);
    const idx = ea.map((_, k) => k);
    const head = new Int32Array(m);
    const next = new Int32Array(2 * m);
    const to = new Int32Array(2 * m);
    for (let t = 0; t < trees; t++) {
      for (let k = 0; k < keys.length; k++) keys[k] = (eroad[k] ?? 0) + this.rand();
      idx.sort((p, r) => (keys[p] ?? 0) - (keys[r] ?? 0));
      const ds = createDisjointSet(m);
      head.fill(-1);
      let ne = 0;
      for (const k of idx) {
        const a = ea[k] ?? 0;
        const b = eb[k] ?? 0;
        if (!ds.union(a, b)) continue;
        to[ne] = b;
        next[ne] = head[a] ?? -1;
        head[a] = ne++;
        to[ne] = a;
        next[ne] = head[b] ?? -1;
        head[b] = ne++;
      }
      if (ne !== 2 * (m - 1)) return false; // the union is not connected (cannot happen for adjacent grids)
      const root = Math.floor(this.rand() * m);
      par.fill(-2);
      par[root] = -1;
      order[0] = root;
      let len = 1;
      for (let i = 0; i < len; i++) {
        const v = order[i] ?? 0;
        for (let x = head[v] ?? -1; x >= 0; x = next[x] ?? -1) {
          const w = to[x] ?? 0;
          if (par[w] === -2) {
            par[w] = v;
            order[len++] = w;
          }
        }
      }
      subH.set(h);
      subA.set(area);
      subE.set(ext);
      for (let i = m - 1; i > 0; i--) {
        const v = order[i] ?? 0;
        const p = par[v] ?? 0;
        subH[p] = (subH[p] ?? 0) + (subH[v] ?? 0);
        subA[p] = (subA[p] ?? 0) + (subA[v] ?? 0);
        subE[p] = (subE[p] ?? 0) + (subE[v] ?? 0);
      }
      // the few cuts with the best balance are evaluated in full
      const top: Array<{ v: number; bal: number }> = [];
      for (let i = 1; i < m; i++) {
        const v = order[i] ?? 0;
        const bal = this.balance(subH[v] ?? 0) + this.balance(H - (subH[v] ?? 0));
        if (top.length < TOPK || bal < (top[top.length - 1]?.bal ?? 0)) {
          top.push({ v, bal });
          top.sort((p, r) => p.bal - r.bal || p.v - r.v);
          if (top.length > TOPK) top.pop();
        }
      }
      for (const { v: cutAt, bal } of top) {
        if (bal >= bestCost) break;
        side.fill(0);
        // mark the subtree under cutAt (descendants follow it in BFS order)
        side[cutAt] = 1;
        for (let i = 1; i < m; i++) {
          const v = order[i] ?? 0;
          if (v !== cutAt && side[par[v] ?? 0] === 1) side[v] = 1;
        }
        let cutLen = 0;
        let cutCost = 0;
        for (let k = 0; k < ea.length; k++)
          if (side[ea[k] ?? 0] !== side[eb[k] ?? 0]) {
            cutLen += elen[k] ?? 0;
            cutCost += ecost[k] ?? 0;
          }
        const aA = subA[cutAt] ?? 0;
        const eA = subE[cutAt] ?? 0;
        const cost =
          bal +
          this.shape(aA, eA + cutLen) +
          this.shape(totalArea - aA, totalExt - eA + cutLen) +
          (this.mu * cutCost) / this.l0;
        if (cost < bestCost) {
          bestCost = cost;
          bestSide = Uint8Array.from(side);
        }
      }
    }
    // straight cuts (sweep lines) and round ones (growing a disc from a unit): compact halves
    const lstart = new Int32Array(m + 1);
    for (let k = 0; k < ea.length; k++) {
      lstart[(ea[k] ?? 0) + 1] = (lstart[(ea[k] ?? 0) + 1] ?? 0) + 1;
      lstart[(eb[k] ?? 0) + 1] = (lstart[(eb[k] ?? 0) + 1] ?? 0) + 1;
    }
    for (let i = 0; i < m; i++) lstart[i + 1] = (lstart[i + 1] ?? 0) + (lstart[i] ?? 0);
    const ladj = new Int32Array(2 * ea.length);
    const fill = lstart.slice(0, m);
    for (let k = 0; k < ea.length; k++) {
      const a = ea[k] ?? 0;
      const b = eb[k] ?? 0;
      const fa = fill[a] ?? 0;
      ladj[fa] = b;
      fill[a] = fa + 1;
      const fb = fill[b] ?? 0;
      ladj[fb] = a;
      fill[b] = fb + 1;
    }
    const comp = new Int32Array(m);
    const stack = new Int32Array(m);
    /** Make both sides connected: stray pieces of a side go to the other side. */
    const fixSides = (sd: Uint8Array) => {
      for (const which of [1, 0]) {
        comp.fill(-1);
        let nc = 0;
        let bestC = -1;
        let bestH = -1;
        const compH: number[] = [];
        for (let i = 0; i < m; i++) {
          if (sd[i] !== which || (comp[i] ?? 0) >= 0) continue;
          let top = 0;
          stack[top++] = i;
          comp[i] = nc;
          let hh = 0;
          while (top > 0) {
            const x = stack[--top] ?? 0;
            hh += (h[x] ?? 0) + 1e-6;
            for (let y = lstart[x] ?? 0; y < (lstart[x + 1] ?? 0); y++) {
              const z = ladj[y] ?? 0;
              if (sd[z] === which && comp[z] === -1) {
                comp[z] = nc;
                stack[top++] = z;
              }
            }
          }
          compH.push(hh);
          if (hh > bestH) {
            bestH = hh;
            bestC = nc;
          }
          nc++;
        }
        if (nc > 1) for (let i = 0; i < m; i++) if (sd[i] === which && comp[i] !== bestC) sd[i] = which ? 0 : 1;
      }
    };
    const evaluate = (sd: Uint8Array): number => {
      let hA = 0;
      let aA = 0;
      let eA = 0;
      let nA = 0;
      for (let i = 0; i < m; i++)
        if (sd[i]) {
          hA += h[i] ?? 0;
          aA += area[i] ?? 0;
          eA += ext[i] ?? 0;
          nA++;
        }
      if (nA === 0 || nA === m) return Number.POSITIVE_INFINITY;
      let cutLen = 0;
      let cutCost = 0;
      for (let k = 0; k < ea.length; k++)
        if (sd[ea[k] ?? 0] !== sd[eb[k] ?? 0]) {
          cutLen += elen[k] ?? 0;
          cutCost += ecost[k] ?? 0;
        }
      return (
        this.balance(hA) +
        this.balance(H - hA) +
        this.shape(aA, eA + cutLen) +
        this.shape(totalArea - aA, totalExt - eA + cutLen) +
        (this.mu * cutCost) / this.l0
      );
    };
    const loc = Array.from({ length: m }, (_, i) => i);
    const key = new Float64Array(m);
    const orders: Int32Array[] = [];
    const angles = this.shapes.angles;
    for (let a = 0; a < angles; a++) {
      const t = (Math.PI * a) / angles + this.rand() * (Math.PI / angles);
      const cx = Math.cos(t);
      const cy = Math.sin(t);
      for (let i = 0; i < m; i++) key[i] = (this.u.x[U[i] ?? 0] ?? 0) * cx + (this.u.y[U[i] ?? 0] ?? 0) * cy;
      orders.push(Int32Array.from(loc.sort((p, r) => (key[p] ?? 0) - (key[r] ?? 0) || p - r)));
    }
    for (let c = 0; c < this.shapes.discs; c++) {
      const centre = U[Math.floor(this.rand() * m)] ?? 0;
      const x0 = this.u.x[centre] ?? 0;
      const y0 = this.u.y[centre] ?? 0;
      for (let i = 0; i < m; i++)
        key[i] = ((this.u.x[U[i] ?? 0] ?? 0) - x0) ** 2 + ((this.u.y[U[i] ?? 0] ?? 0) - y0) ** 2;
      orders.push(Int32Array.from(loc.sort((p, r) => (key[p] ?? 0) - (key[r] ?? 0) || p - r)));
    }
    const sd = new Uint8Array(m);
    for (const ord of orders) {
      // prefix positions whose balance is within 0.3 of the best for this order
      let cum = 0;
      const bals = new Float64Array(m);
      let minBal = Number.POSITIVE_INFINITY;
      for (let p = 0; p < m - 1; p++) {
        cum += h[ord[p] ?? 0] ?? 0;
        bals[p] = this.balance(cum) + this.balance(H - cum);
        if ((bals[p] ?? 0) < minBal) minBal = bals[p] ?? 0;
      }
      let tried = 0;
      for (let p = 0; p < m - 1 && tried < 6; p++) {
        if ((bals[p] ?? 0) > minBal + 0.3 || (bals[p] ?? 0) >= bestCost) continue;
        tried++;
        sd.fill(0);
        for (let j = 0; j <= p; j++) sd[ord[j] ?? 0] = 1;
        fixSides(sd);
        const cost = evaluate(sd);
        if (cost < bestCost) {
          bestCost = cost;
          bestSide = Uint8Array.from(sd);
        }
      }
    }
    if (!bestSide) return false;
    // keep at least 30 % of the internal boundary on roads (or do not lower the share when it is below)
    const { len, road, allowed } = this.roadShareAfter({ ea, eb, elen, eroadLen }, inG, bestSide);
    if (!allowed) return false;
    this.cutLen = len;
    this.cutRoad = road;
    // side 1 goes to whichever grid keeps more of its units
    let keep = 0;
    for (let i = 0; i < m; i++) keep += bestSide[i] === inG[i] ? 1 : -1;
    const gA = keep >= 0 ? g : q;
    const gB = keep >= 0 ? q : g;
    const la: number[] = [];
    const lb: number[] = [];
    for (let i = 0; i < m; i++) {
      const v = U[i] ?? 0;
      if (bestSide[i]) {
        this.grid[v] = gA;
        la.push(v);
      } else {
        this.grid[v] = gB;
        lb.push(v);
      }
    }
    lists[gA] = la;
    lists[gB] = lb;
    for (const [x, list] of [
      [gA, la],
      [gB, lb],
    ] as Array<[number, number[]]>) {
      let load = 0;
      let ar = 0;
      let pe = 0;
      for (const v of list) {
        load += this.u.h[v] ?? 0;
        ar += this.u.area[v] ?? 0;
        pe += (this.u.perim[v] ?? 0) - this.sharedWith(v, x);
      }
      this.loads[x] = load;
      this.areas[x] = ar;
      this.perims[x] = pe;
      this.size[x] = list.length;
    }
    return true;
  }
}
