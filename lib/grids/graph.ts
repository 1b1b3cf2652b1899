/**
 * The cell graph the partition works on (pure TypeScript, no database).
 *
 * A cell is one building's share of its road block (or a piece of empty land, or a whole block without buildings),
 * produced by `tessellate.ts`. Cells tile the community exactly, so any grouping of cells into grids tiles it too.
 * Lengths and areas are in metres in a local projected CRS.
 */

export interface CellNode {
  id: number;
  /** Households of the building this cell carries (0 for empty land). */
  households: number;
  areaM2: number;
  perimeterM: number;
  /** A representative point (point-on-surface) in projected metres: x east, y north. */
  x: number;
  y: number;
  /** The road block (polygonized roads ∪ boundary) the cell lies in. */
  blockId: number;
  /** The building whose cell this is; cells of one building are never separated. */
  buildingId: number | null;
}

export interface CellEdge {
  a: number;
  b: number;
  /** Length of the shared boundary. */
  lengthM: number;
  /** The part of the shared boundary that runs along a road or path (cheap to cut). */
  roadLengthM: number;
}

export interface CellGraph {
  nodes: CellNode[];
  edges: CellEdge[];
  /** Pairs of cell ids that must end in the same grid (e.g. cells of overlapping building footprints). */
  together?: Array<[number, number]>;
}

/** Index-based adjacency: `nbr[i]` lists neighbour indices, `len`/`road` the matching shared lengths. */
export interface Adjacency {
  n: number;
  nbr: number[][];
  len: number[][];
  road: number[][];
}

export function buildAdjacency(
  n: number,
  edges: ReadonlyArray<{ a: number; b: number; lengthM: number; roadLengthM: number }>,
): Adjacency {
  const nbr: number[][] = Array.from({ length: n }, () => []);
  const len: number[][] = Array.from({ length: n }, () => []);
  const road: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    if (e.a === e.b) continue;
    nbr[e.a]?.push(e.b);
    len[e.a]?.push(e.lengthM);
    road[e.a]?.push(e.roadLengthM);
    nbr[e.b]?.push(e.a);
    len[e.b]?.push(e.lengthM);
    road[e.b]?.push(e.roadLengthM);
  }
  return { n, nbr, len, road };
}

/** Connected components of the subgraph induced by `members` (indices), each sorted ascending, ordered by first index. */
export function components(adj: Adjacency, members: readonly number[]): number[][] {
  const inSet = new Uint8Array(adj.n);
  for (const m of members) inSet[m] = 1;
  const seen = new Uint8Array(adj.n);
  const out: number[][] = [];
  const sorted = [...members].sort((p, q) => p - q);
  for (const start of sorted) {
    if (seen[start]) continue;
    const comp: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const v = stack.pop() as number;
      comp.push(v);
      for (const w of adj.nbr[v] ?? []) {
        if (inSet[w] && !seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    comp.sort((p, q) => p - q);
    out.push(comp);
  }
  return out;
}

/** Whether the members (a non-empty set) form one connected piece; `skip` is treated as absent. */
export function isConnected(
  adj: Adjacency,
  members: readonly number[],
  skip = -1,
  mark?: Int32Array,
  tag = 0,
): boolean {
  const inSet = mark ?? new Int32Array(adj.n).fill(-1);
  const t = mark ? tag : 1;
  if (!mark) for (const m of members) inSet[m] = t;
  let start = -1;
  let size = 0;
  for (const m of members) {
    if (m === skip) continue;
    size += 1;
    if (start < 0) start = m;
  }
  if (size === 0) return true;
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const w of adj.nbr[v] ?? []) {
      if (w !== skip && inSet[w] === t && !seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen.size === size;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Union–find over 0…n−1 with path compression; `union` keeps the smaller root and tells whether it merged. */
export function createDisjointSet(n: number): {
  find: (i: number) => number;
  union: (a: number, b: number) => boolean;
} {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while ((parent[root] ?? root) !== root) root = parent[root] ?? root;
    let current = i;
    while ((parent[current] ?? current) !== root) {
      const next = parent[current] ?? current;
      parent[current] = root;
      current = next;
    }
    return root;
  };
  const union = (a: number, b: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
    return true;
  };
  return { find, union };
}
