import { describe, expect, it } from "vitest";
import { type Adjacency, type Cell, growRegions, mergeSmallCells } from "./grouping";

/** A 4 × 3 lattice of unit blocks, ids row by row from the north-west corner. */
function lattice(weight: (id: number) => number): { cells: Cell[]; adjacency: Adjacency[] } {
  const cells: Cell[] = [];
  const adjacency: Adjacency[] = [];
  for (let row = 0; row < 3; row += 1) {
    for (let column = 0; column < 4; column += 1) {
      const id = row * 4 + column;
      cells.push({ id, weight: weight(id), lng: 118.78 + column * 0.002, lat: 32.05 - row * 0.002, areaM2: 40_000 });
      if (column < 3) adjacency.push({ a: id, b: id + 1, sharedM: 200 });
      if (row < 2) adjacency.push({ a: id, b: id + 4, sharedM: 200 });
    }
  }
  return { cells, adjacency };
}

describe("growRegions", () => {
  it("covers every cell once, keeps regions within the limits and is deterministic", () => {
    const { cells, adjacency } = lattice(() => 500);
    const limits = { min: 1500, target: 2000, max: 4000 };
    const first = growRegions(cells, adjacency, limits);
    const second = growRegions([...cells].reverse(), [...adjacency].reverse(), limits);
    expect([...first.entries()].sort()).toEqual([...second.entries()].sort());
    expect(first.size).toBe(cells.length);
    const weights = new Map<number, number>();
    for (const [id, region] of first) weights.set(region, (weights.get(region) ?? 0) + (cells[id]?.weight ?? 0));
    for (const weight of weights.values()) {
      expect(weight).toBeGreaterThanOrEqual(limits.min);
      expect(weight).toBeLessThanOrEqual(limits.max);
    }
    expect(first.get(0)).toBe(0); // the north-west block seeds region 0
  });

  it("merges a leftover below the minimum into a neighbour", () => {
    const { cells, adjacency } = lattice((id) => (id === 11 ? 100 : 1000));
    const regions = growRegions(cells, adjacency, { min: 1500, target: 2000, max: 4000 });
    const sizes = new Map<number, number>();
    for (const [id, region] of regions) sizes.set(region, (sizes.get(region) ?? 0) + (cells[id]?.weight ?? 0));
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(1500);
  });

  it("below the minimum, skips a nearer neighbour that would pass the maximum for one that fits", () => {
    // block 0 (1,000) has neighbours 1 (3,500: would make 4,500) and 4 (600: fits)
    const { cells, adjacency } = lattice((id) => (id === 0 ? 1000 : id === 1 ? 3500 : 600));
    const regions = growRegions(cells, adjacency, { min: 1500, target: 2000, max: 4000 });
    expect(regions.get(4)).toBe(regions.get(0));
    expect(regions.get(1)).not.toBe(regions.get(0));
    const sizes = new Map<number, number>();
    for (const [id, region] of regions) sizes.set(region, (sizes.get(region) ?? 0) + (cells[id]?.weight ?? 0));
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(4000);
  });
});

describe("mergeSmallCells", () => {
  it("absorbs small cells into the neighbour with the longest shared edge", () => {
    const cells: Cell[] = [
      { id: 1, weight: 300, lng: 0, lat: 0, areaM2: 10_000 },
      { id: 2, weight: 5, lng: 1, lat: 0, areaM2: 10_000 },
      { id: 3, weight: 400, lng: 2, lat: 0, areaM2: 10_000 },
    ];
    const adjacency: Adjacency[] = [
      { a: 1, b: 2, sharedM: 50 },
      { a: 2, b: 3, sharedM: 120 },
    ];
    const groups = mergeSmallCells(cells, adjacency, (group) => group.weight < 30);
    expect(groups.get(2)).toBe(groups.get(3));
    expect(groups.get(1)).not.toBe(groups.get(3));
  });

  it("keeps a small isolated cell on its own", () => {
    const cells: Cell[] = [{ id: 1, weight: 1, lng: 0, lat: 0, areaM2: 10 }];
    expect(mergeSmallCells(cells, [], () => true).get(1)).toBe(1);
  });
});
