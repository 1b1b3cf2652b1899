/**
 * Invariant figures of a partition, computed exactly from the cell graph (pure TypeScript): grids are unions of
 * cells, so a grid's area is the sum of its cells' areas and its perimeter the sum of their perimeters minus twice the
 * boundary its cells share.
 */
import type { PartitionResult } from "./auto-partition";
import { buildAdjacency, type CellGraph, components } from "./graph";

export interface GridMetrics {
  index: number;
  households: number;
  target: number;
  /** (households − target) / target. */
  deviation: number;
  cells: number;
  buildings: number;
  areaM2: number;
  perimeterM: number;
  /** 4πA / P². */
  polsbyPopper: number;
  contiguous: boolean;
}

export interface PartitionMetrics {
  grids: GridMetrics[];
  gridCount: number;
  within5: number;
  within10: number;
  /** Shares in [0, 1] of the grids within ±5 % / ±10 %. */
  within5Share: number;
  within10Share: number;
  maxAbsDeviation: number;
  ppMean: number;
  ppMin: number;
  /** Total length of boundaries between grids, and the part of it along roads. */
  internalBoundaryM: number;
  roadBoundaryM: number;
  roadShare: number;
  /** Cells in no grid or in more than one (0 when the partition covers the graph exactly). */
  unassignedCells: number;
  duplicatedCells: number;
  splitBuildings: number;
  /** Blocks whose households fit in one grid but a connected piece of which is spread over several grids. */
  smallBlocksSplit: number;
  /** Small blocks made of pieces that do not touch in the cell graph, the pieces in different grids (not a split). */
  disconnectedSmallBlocks: number;
  nonContiguous: number;
  exceptions: number;
}

/**
 * `gridTargets` (optional, per grid of `result`): each grid's own household target, e.g. a mixed community partitioned
 * per estate kind (200 old, 500 new); default `result.target` for every grid.
 */
export function partitionMetrics(
  graph: CellGraph,
  result: PartitionResult,
  gridTargets?: readonly number[],
): PartitionMetrics {
  const targetOf = (gi: number): number => gridTargets?.[gi] ?? result.target;
  const nodes = [...graph.nodes].sort((p, q) => p.id - q.id);
  const index = new Map<number, number>();
  nodes.forEach((n, i) => {
    index.set(n.id, i);
  });
  const gridOf = new Int32Array(nodes.length).fill(-1);
  let duplicatedCells = 0;
  result.grids.forEach((g, gi) => {
    for (const c of g.cellIds) {
      const i = index.get(c);
      if (i === undefined) continue;
      if ((gridOf[i] ?? -1) >= 0) duplicatedCells++;
      gridOf[i] = gi;
    }
  });
  const unassignedCells = nodes.filter((_, i) => (gridOf[i] ?? -1) < 0).length;
  const edges = graph.edges
    .map((e) => ({ a: index.get(e.a) ?? -1, b: index.get(e.b) ?? -1, lengthM: e.lengthM, roadLengthM: e.roadLengthM }))
    .filter((e) => e.a >= 0 && e.b >= 0);
  const adj = buildAdjacency(nodes.length, edges);
  const area = new Array(result.grids.length).fill(0);
  const perim = new Array(result.grids.length).fill(0);
  const hh = new Array(result.grids.length).fill(0);
  nodes.forEach((n, i) => {
    const g = gridOf[i] ?? -1;
    if (g < 0) return;
    area[g] += n.areaM2;
    perim[g] += n.perimeterM;
    hh[g] += n.households;
  });
  let internal = 0;
  let road = 0;
  for (const e of edges) {
    const ga = gridOf[e.a] ?? -1;
    const gb = gridOf[e.b] ?? -1;
    if (ga === gb) {
      if (ga >= 0) perim[ga] -= 2 * e.lengthM;
    } else {
      internal += e.lengthM;
      road += Math.min(e.roadLengthM, e.lengthM);
    }
  }
  // buildings split across grids
  const buildingGrids = new Map<number, Set<number>>();
  nodes.forEach((n, i) => {
    if (n.buildingId === null) return;
    const s = buildingGrids.get(n.buildingId) ?? new Set<number>();
    s.add(gridOf[i] ?? -1);
    buildingGrids.set(n.buildingId, s);
  });
  const splitBuildings = [...buildingGrids.values()].filter((s) => s.size > 1).length;
  const blockHh = new Map<number, number>();
  const blockGrids = new Map<number, Set<number>>();
  nodes.forEach((n, i) => {
    blockHh.set(n.blockId, (blockHh.get(n.blockId) ?? 0) + n.households);
    const s = blockGrids.get(n.blockId) ?? new Set<number>();
    s.add(gridOf[i] ?? -1);
    blockGrids.set(n.blockId, s);
  });
  // a small block is split when one of its connected pieces spans grids; a block whose cells form pieces that do not
  // touch in the cell graph (a tessellation artefact, e.g. two faces meeting at a point) cannot lie in one contiguous
  // grid unless a grid connects them: such pieces in different grids are counted apart, as `disconnectedSmallBlocks`
  let smallBlocksSplit = 0;
  let disconnectedSmallBlocks = 0;
  const blockCells = new Map<number, number[]>();
  nodes.forEach((n, i) => {
    const list = blockCells.get(n.blockId);
    if (list) list.push(i);
    else blockCells.set(n.blockId, [i]);
  });
  for (const [b, s] of blockGrids) {
    // a block's target: the largest among its grids' targets (one target unless a block straddles estate kinds)
    const target = Math.max(...[...s].map((gi) => (gi >= 0 ? targetOf(gi) : result.target)));
    if (s.size <= 1 || (blockHh.get(b) ?? 0) > target) continue;
    const pieces = components(adj, blockCells.get(b) ?? []);
    if (pieces.some((piece) => new Set(piece.map((i) => gridOf[i] ?? -1)).size > 1)) smallBlocksSplit++;
    else disconnectedSmallBlocks++;
  }

  const grids: GridMetrics[] = result.grids.map((g, gi) => {
    const members = g.cellIds.map((c) => index.get(c)).filter((i): i is number => i !== undefined);
    const households = hh[gi] ?? 0;
    const p = perim[gi] ?? 0;
    const a = area[gi] ?? 0;
    const target = targetOf(gi);
    return {
      index: gi,
      households,
      target,
      deviation: (households - target) / target,
      cells: members.length,
      buildings: g.buildingIds.length,
      areaM2: a,
      perimeterM: p,
      polsbyPopper: p > 0 ? (4 * Math.PI * a) / (p * p) : 0,
      contiguous: members.length > 0 && components(adj, members).length === 1,
    };
  });
  const n = grids.length;
  const within5 = grids.filter((g) => Math.abs(g.deviation) <= 0.05 + 1e-12).length;
  const within10 = grids.filter((g) => Math.abs(g.deviation) <= 0.1 + 1e-12).length;
  const pps = grids.map((g) => g.polsbyPopper);
  return {
    grids,
    gridCount: n,
    within5,
    within10,
    within5Share: n ? within5 / n : 1,
    within10Share: n ? within10 / n : 1,
    maxAbsDeviation: n ? Math.max(...grids.map((g) => Math.abs(g.deviation))) : 0,
    ppMean: n ? pps.reduce((s, x) => s + x, 0) / n : 0,
    ppMin: n ? Math.min(...pps) : 0,
    internalBoundaryM: internal,
    roadBoundaryM: road,
    roadShare: internal > 0 ? road / internal : 1,
    unassignedCells,
    duplicatedCells,
    splitBuildings,
    smallBlocksSplit,
    disconnectedSmallBlocks,
    nonContiguous: grids.filter((g) => !g.contiguous).length,
    exceptions: result.exceptions.length,
  };
}
