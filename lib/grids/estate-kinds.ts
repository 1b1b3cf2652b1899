/**
 * Per-estate-kind partition of a mixed community (pure TypeScript): each road block of the cell graph is classified
 * old (老旧小区) or new (新建小区) by the households of its buildings, the two parts are partitioned separately with
 * their own household targets, and the results are merged.
 *
 * Rules:
 * - a block with households is 'new' when more than half of its households live in new-estate buildings (levels ≥
 *   NEW_ESTATE_MIN_LEVELS, decided by the caller), else 'old';
 * - a block without households takes the kind of its neighbouring blocks holding most shared boundary (in rounds, so
 *   empty land inside a part joins it; ties and blocks with no classified neighbour take the community's dominant kind);
 * - a connected piece of one kind holding fewer than half its kind's target is too small to form a grid of its own: it
 *   joins the other kind (the neighbour kind by shared boundary), smallest piece first;
 * - cells that must stay together (one building, `together` pairs) take one kind (the one holding most of their
 *   households, ties the dominant kind).
 */
import { autoPartition, type PartitionOptions, type PartitionResult } from "./auto-partition";
import { type CellGraph, createDisjointSet } from "./graph";

export type EstateKind = "old" | "new";

export interface EstateTargets {
  old: number;
  new: number;
}

const other = (kind: EstateKind): EstateKind => (kind === "old" ? "new" : "old");

/** Households of the graph by kind of their building (`isNew(buildingId)`); empty land counts in neither. */
export function householdsByKind(graph: CellGraph, isNew: (buildingId: number) => boolean): EstateTargets {
  const out = { old: 0, new: 0 };
  for (const n of graph.nodes) {
    if (n.households <= 0 || n.buildingId === null) continue;
    out[isNew(n.buildingId) ? "new" : "old"] += n.households;
  }
  return out;
}

/** The kind holding more than half the households ('old' when there are none or on a tie), as createDraftPlan did. */
export function dominantKind(households: EstateTargets): EstateKind {
  return households.new * 2 > households.old + households.new && households.new > 0 ? "new" : "old";
}

/** Shared boundary length between neighbouring blocks: `shared.get(a).get(b)` (symmetric). */
function blockAdjacency(graph: CellGraph): Map<number, Map<number, number>> {
  const blockOf = new Map(graph.nodes.map((n) => [n.id, n.blockId]));
  const shared = new Map<number, Map<number, number>>();
  for (const n of graph.nodes) if (!shared.has(n.blockId)) shared.set(n.blockId, new Map());
  for (const e of graph.edges) {
    const a = blockOf.get(e.a);
    const b = blockOf.get(e.b);
    if (a === undefined || b === undefined || a === b) continue;
    const ma = shared.get(a) as Map<number, number>;
    const mb = shared.get(b) as Map<number, number>;
    ma.set(b, (ma.get(b) ?? 0) + e.lengthM);
    mb.set(a, (mb.get(a) ?? 0) + e.lengthM);
  }
  return shared;
}

/** The kind among `neighbours` (block → shared length) holding most shared boundary; null when none is classified. */
function neighbourKind(
  neighbours: Map<number, number>,
  kindOf: ReadonlyMap<number, EstateKind>,
  fallback: EstateKind,
): EstateKind | null {
  const len = { old: 0, new: 0 };
  for (const [b, l] of neighbours) {
    const k = kindOf.get(b);
    if (k) len[k] += l;
  }
  if (len.old === 0 && len.new === 0) return null;
  if (len.old === len.new) return fallback;
  return len.new > len.old ? "new" : "old";
}

/**
 * Kind of every road block of the graph (by `blockId`). `targets` decides which connected pieces are too small to
 * stand alone (below half their kind's target).
 */
export function blockEstateKinds(
  graph: CellGraph,
  isNew: (buildingId: number) => boolean,
  targets: EstateTargets,
): Map<number, EstateKind> {
  const fallback = dominantKind(householdsByKind(graph, isNew));
  const hh = new Map<number, EstateTargets>();
  for (const n of graph.nodes) {
    const h = hh.get(n.blockId) ?? { old: 0, new: 0 };
    if (n.households > 0 && n.buildingId !== null) h[isNew(n.buildingId) ? "new" : "old"] += n.households;
    hh.set(n.blockId, h);
  }
  const blocks = [...hh.keys()].sort((p, q) => p - q);
  const kindOf = new Map<number, EstateKind>();
  for (const b of blocks) {
    const h = hh.get(b) as EstateTargets;
    if (h.old + h.new > 0) kindOf.set(b, dominantKind(h));
  }
  // empty blocks: by the neighbours' shared boundary, in rounds (each round reads the kinds of the round before)
  const shared = blockAdjacency(graph);
  for (;;) {
    const adopted: Array<[number, EstateKind]> = [];
    for (const b of blocks) {
      if (kindOf.has(b)) continue;
      const k = neighbourKind(shared.get(b) ?? new Map(), kindOf, fallback);
      if (k) adopted.push([b, k]);
    }
    if (adopted.length === 0) break;
    for (const [b, k] of adopted) kindOf.set(b, k);
  }
  for (const b of blocks) if (!kindOf.has(b)) kindOf.set(b, fallback);
  // pieces too small for a grid of their own join the other kind, smallest first (each join merges two pieces)
  for (;;) {
    const pieces = kindPieces(blocks, shared, kindOf);
    let smallest: { blocks: number[]; households: number } | null = null;
    for (const piece of pieces) {
      const kind = kindOf.get(piece[0] as number) as EstateKind;
      const households = piece.reduce((s, b) => s + (hh.get(b)?.old ?? 0) + (hh.get(b)?.new ?? 0), 0);
      if (households * 2 >= targets[kind]) continue;
      const touchesOther = piece.some((b) =>
        [...(shared.get(b)?.keys() ?? [])].some((x) => kindOf.get(x) === other(kind)),
      );
      if (touchesOther && (smallest === null || households < smallest.households))
        smallest = { blocks: piece, households };
    }
    if (smallest === null) break;
    const kind = other(kindOf.get(smallest.blocks[0] as number) as EstateKind);
    for (const b of smallest.blocks) kindOf.set(b, kind);
  }
  return kindOf;
}

/** Connected pieces of blocks of one kind (block adjacency), each sorted, ordered by first block. */
function kindPieces(
  blocks: readonly number[],
  shared: Map<number, Map<number, number>>,
  kindOf: ReadonlyMap<number, EstateKind>,
): number[][] {
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const start of blocks) {
    if (seen.has(start)) continue;
    const kind = kindOf.get(start);
    const piece: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const b = stack.pop() as number;
      piece.push(b);
      for (const x of shared.get(b)?.keys() ?? []) {
        if (!seen.has(x) && kindOf.get(x) === kind) {
          seen.add(x);
          stack.push(x);
        }
      }
    }
    out.push(piece.sort((p, q) => p - q));
  }
  return out;
}

/**
 * Kind of every cell (by cell id): its block's kind, except that cells that must stay together (one building, a
 * `together` pair) take one kind — the one holding most of their households (ties: the community's dominant kind).
 */
export function cellEstateKinds(
  graph: CellGraph,
  blockKinds: ReadonlyMap<number, EstateKind>,
  fallback: EstateKind,
): Map<number, EstateKind> {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const ds = createDisjointSet(graph.nodes.length);
  const firstOfBuilding = new Map<number, number>();
  graph.nodes.forEach((n, i) => {
    if (n.buildingId === null) return;
    const first = firstOfBuilding.get(n.buildingId);
    if (first === undefined) firstOfBuilding.set(n.buildingId, i);
    else ds.union(first, i);
  });
  for (const [a, b] of graph.together ?? []) {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia !== undefined && ib !== undefined) ds.union(ia, ib);
  }
  const groupHh = new Map<number, EstateTargets>();
  graph.nodes.forEach((n, i) => {
    const root = ds.find(i);
    const h = groupHh.get(root) ?? { old: 0, new: 0 };
    // households decide; a vanishing area weight lets a group without households (empty land) keep its block's kind
    h[blockKinds.get(n.blockId) ?? fallback] += Math.max(0, n.households) + 1e-9 * n.areaM2;
    groupHh.set(root, h);
  });
  const out = new Map<number, EstateKind>();
  graph.nodes.forEach((n, i) => {
    const h = groupHh.get(ds.find(i)) as EstateTargets;
    out.set(n.id, h.old === h.new ? fallback : h.new > h.old ? "new" : "old");
  });
  return out;
}

/** The subgraph of the cells whose kind is `kind` (edges and together pairs with both ends inside). */
export function subgraphOfKind(
  graph: CellGraph,
  cellKinds: ReadonlyMap<number, EstateKind>,
  kind: EstateKind,
): CellGraph {
  const keep = (id: number) => cellKinds.get(id) === kind;
  const nodes = graph.nodes.filter((n) => keep(n.id));
  const edges = graph.edges.filter((e) => keep(e.a) && keep(e.b));
  const together = (graph.together ?? []).filter(([a, b]) => keep(a) && keep(b));
  return graph.together ? { nodes, edges, together } : { nodes, edges };
}

export interface KindPart {
  estateKind: EstateKind;
  target: number;
  graph: CellGraph;
  result: PartitionResult;
}

export interface MixedPartition {
  /** The parts in the order old, new (a kind without cells is left out). */
  parts: KindPart[];
  /** All grids: the old part's, then the new part's; exceptions re-indexed; `target` = the dominant kind's target. */
  result: PartitionResult;
  /** Per grid of `result`: its kind and household target. */
  gridKinds: EstateKind[];
  gridTargets: number[];
  dominant: EstateKind;
}

/**
 * Partition a community's graph per estate kind: blocks classified by `blockEstateKinds`, each kind's cells
 * partitioned with its own target (`autoPartition` partitions each connected piece separately), results merged.
 * When all cells end in one kind the whole graph is partitioned exactly as `autoPartition(graph, {target, …})`.
 */
export function partitionByEstateKind(
  graph: CellGraph,
  isNew: (buildingId: number) => boolean,
  targets: EstateTargets,
  options: Omit<PartitionOptions, "target"> = {},
): MixedPartition {
  const dominant = dominantKind(householdsByKind(graph, isNew));
  const cellKinds = cellEstateKinds(graph, blockEstateKinds(graph, isNew, targets), dominant);
  const kinds = (["old", "new"] as const).filter((k) => graph.nodes.some((n) => cellKinds.get(n.id) === k));
  const parts: KindPart[] =
    kinds.length <= 1
      ? [
          {
            estateKind: kinds[0] ?? dominant,
            target: targets[kinds[0] ?? dominant],
            graph,
            result: autoPartition(graph, { ...options, target: targets[kinds[0] ?? dominant] }),
          },
        ]
      : kinds.map((k) => {
          const sub = subgraphOfKind(graph, cellKinds, k);
          return {
            estateKind: k,
            target: targets[k],
            graph: sub,
            result: autoPartition(sub, { ...options, target: targets[k] }),
          };
        });
  const grids: PartitionResult["grids"] = [];
  const exceptions: PartitionResult["exceptions"] = [];
  const gridKinds: EstateKind[] = [];
  const gridTargets: number[] = [];
  for (const p of parts) {
    const offset = grids.length;
    grids.push(...p.result.grids);
    exceptions.push(...p.result.exceptions.map((x) => ({ ...x, grid: x.grid + offset })));
    for (const _ of p.result.grids) {
      gridKinds.push(p.estateKind);
      gridTargets.push(p.target);
    }
  }
  const mainKind = parts.length === 1 ? (parts[0] as KindPart).estateKind : dominant;
  return {
    parts,
    result: parts.length === 1 ? (parts[0] as KindPart).result : { target: targets[mainKind], grids, exceptions },
    gridKinds,
    gridTargets,
    dominant: mainKind,
  };
}
