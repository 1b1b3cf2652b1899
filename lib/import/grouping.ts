/** Pure, deterministic grouping of adjacent polygons (road blocks) into regions, used by the demo derivation. */

export interface Cell {
  id: number;
  /** Weight to balance, e.g. estimated households. */
  weight: number;
  /** Centroid longitude / latitude. */
  lng: number;
  lat: number;
  areaM2: number;
}

/** Two cells share a boundary of `sharedM` metres (point contacts are not adjacency). */
export interface Adjacency {
  a: number;
  b: number;
  sharedM: number;
}

export interface GrowLimits {
  min: number;
  target: number;
  max: number;
}

/** West→east, then north→south; ids break ties so the order never depends on input order. */
export function compareWestNorth(a: Cell, b: Cell): number {
  return a.lng - b.lng || b.lat - a.lat || a.id - b.id;
}

function neighbourMap(cells: readonly Cell[], adjacency: readonly Adjacency[]): Map<number, Map<number, number>> {
  const map = new Map<number, Map<number, number>>();
  for (const cell of cells) map.set(cell.id, new Map());
  for (const { a, b, sharedM } of adjacency) {
    if (a === b || sharedM <= 0) continue;
    const left = map.get(a);
    const right = map.get(b);
    if (!left || !right) continue;
    left.set(b, (left.get(b) ?? 0) + sharedM);
    right.set(a, (right.get(a) ?? 0) + sharedM);
  }
  return map;
}

function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const kx = 111_320 * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot((a.lng - b.lng) * kx, (a.lat - b.lat) * 110_574);
}

/**
 * Greedy region growing: seeds are taken west→east / north→south; a region absorbs its nearest unassigned
 * neighbour until its weight reaches `target` (never passing `max` once `min` is reached). Regions still
 * below `min` afterwards are merged into their lightest neighbour. Returns cell id → region index (0-based,
 * regions numbered in seed order).
 */
export function growRegions(
  cells: readonly Cell[],
  adjacency: readonly Adjacency[],
  limits: GrowLimits,
): Map<number, number> {
  const neighbours = neighbourMap(cells, adjacency);
  const byId = new Map(cells.map((cell) => [cell.id, cell]));
  const order = [...cells].sort(compareWestNorth);
  const regionOf = new Map<number, number>();
  const regions: { cells: number[]; weight: number }[] = [];

  for (const seed of order) {
    if (regionOf.has(seed.id)) continue;
    const index = regions.length;
    const region = { cells: [seed.id], weight: seed.weight };
    regions.push(region);
    regionOf.set(seed.id, index);
    while (region.weight < limits.target) {
      // nearest unassigned neighbour that keeps the region within `max`; below `min`, the nearest one at all
      let best: Cell | undefined;
      let bestDistance = Number.POSITIVE_INFINITY;
      let fallback: Cell | undefined;
      let fallbackDistance = Number.POSITIVE_INFINITY;
      for (const member of region.cells) {
        for (const candidateId of neighbours.get(member)?.keys() ?? []) {
          if (regionOf.has(candidateId)) continue;
          const candidate = byId.get(candidateId);
          if (!candidate) continue;
          const distance = distanceM(seed, candidate);
          if (
            distance < fallbackDistance ||
            (distance === fallbackDistance && fallback && candidate.id < fallback.id)
          ) {
            fallback = candidate;
            fallbackDistance = distance;
          }
          if (region.weight + candidate.weight > limits.max) continue;
          if (distance < bestDistance || (distance === bestDistance && best && candidate.id < best.id)) {
            best = candidate;
            bestDistance = distance;
          }
        }
      }
      if (!best && region.weight < limits.min) best = fallback;
      if (!best) break;
      region.cells.push(best.id);
      region.weight += best.weight;
      regionOf.set(best.id, index);
    }
  }

  // Merge under-weight regions into their lightest neighbour, lightest first, until stable.
  const alive = new Set(regions.map((_, index) => index));
  for (;;) {
    const small = [...alive]
      .filter((index) => (regions[index]?.weight ?? 0) < limits.min)
      .sort((x, y) => (regions[x]?.weight ?? 0) - (regions[y]?.weight ?? 0) || x - y);
    let merged = false;
    for (const index of small) {
      const region = regions[index];
      if (!region) continue;
      const adjacent = new Set<number>();
      for (const member of region.cells) {
        for (const other of neighbours.get(member)?.keys() ?? []) {
          const otherRegion = regionOf.get(other);
          if (otherRegion !== undefined && otherRegion !== index) adjacent.add(otherRegion);
        }
      }
      // the lightest neighbour that stays within `max` when merged, else the lightest neighbour at all
      const byWeight = [...adjacent].sort((x, y) => (regions[x]?.weight ?? 0) - (regions[y]?.weight ?? 0) || x - y);
      const fits = byWeight.filter((other) => (regions[other]?.weight ?? 0) + region.weight <= limits.max);
      const target = fits[0] ?? byWeight[0];
      if (target === undefined) continue;
      const into = regions[target];
      if (!into) continue;
      for (const member of region.cells) {
        into.cells.push(member);
        regionOf.set(member, target);
      }
      into.weight += region.weight;
      region.cells = [];
      region.weight = 0;
      alive.delete(index);
      merged = true;
      break;
    }
    if (!merged) break;
  }

  // Renumber surviving regions by their westernmost / northernmost cell.
  const survivors = [...alive]
    .map((index) => {
      const first = (regions[index]?.cells ?? [])
        .map((id) => byId.get(id))
        .filter((cell): cell is Cell => cell !== undefined)
        .sort(compareWestNorth)[0];
      return { index, first };
    })
    .filter((entry): entry is { index: number; first: Cell } => entry.first !== undefined)
    .sort((x, y) => compareWestNorth(x.first, y.first));
  const renumber = new Map(survivors.map((entry, position) => [entry.index, position]));
  const result = new Map<number, number>();
  for (const [cellId, region] of regionOf) {
    const position = renumber.get(region);
    if (position !== undefined) result.set(cellId, position);
  }
  return result;
}

/**
 * Merge every "small" cell group into the neighbouring group it shares the longest boundary with,
 * smallest first, until no small group has a neighbour. Returns cell id → group root id.
 */
export function mergeSmallCells(
  cells: readonly Cell[],
  adjacency: readonly Adjacency[],
  isSmall: (group: { weight: number; areaM2: number }) => boolean,
): Map<number, number> {
  const neighbours = neighbourMap(cells, adjacency);
  const parent = new Map(cells.map((cell) => [cell.id, cell.id]));
  const find = (id: number): number => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    return root;
  };
  const groups = new Map(
    cells.map((cell) => [cell.id, { weight: cell.weight, areaM2: cell.areaM2, members: [cell.id] }]),
  );
  const stuck = new Set<number>();
  for (;;) {
    const candidates = [...groups.entries()]
      .filter(([root, group]) => !stuck.has(root) && isSmall(group))
      .sort(([ra, a], [rb, b]) => a.weight - b.weight || a.areaM2 - b.areaM2 || ra - rb);
    const next = candidates[0];
    if (!next) break;
    const [root, group] = next;
    const shared = new Map<number, number>();
    for (const member of group.members) {
      for (const [other, length] of neighbours.get(member) ?? []) {
        const otherRoot = find(other);
        if (otherRoot !== root) shared.set(otherRoot, (shared.get(otherRoot) ?? 0) + length);
      }
    }
    const best = [...shared.entries()].sort(([ra, la], [rb, lb]) => lb - la || ra - rb)[0];
    if (!best) {
      stuck.add(root);
      continue;
    }
    const [intoRoot] = best;
    const into = groups.get(intoRoot);
    if (!into) break;
    parent.set(root, intoRoot);
    into.weight += group.weight;
    into.areaM2 += group.areaM2;
    into.members.push(...group.members);
    groups.delete(root);
    stuck.delete(intoRoot);
  }
  return new Map(cells.map((cell) => [cell.id, find(cell.id)]));
}
