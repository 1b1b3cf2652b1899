import { describe, expect, it } from "vitest";
import { partitionMetrics } from "@/lib/grids/partition-metrics";
import { lattice } from "@/tests/fixtures/partition/lattice";
import { kmeansBaseline, weightedKMeans } from "./partition-baseline";
import { benchCommunity, generateSyntheticStreet } from "./partition-synthetic";

describe("k-means baseline (fmtm-splitter style)", () => {
  // 12 × 6 cells of 20 households, a road between columns 5 and 6: two blocks of 720 households each
  const graph = lattice({ cols: 12, rows: 6, households: () => 20, roadCols: [5] });

  it("puts every cell in exactly one grid and uses k = round(block households / target) per block", () => {
    const result = kmeansBaseline(graph, 200, 1);
    const m = partitionMetrics(graph, result);
    expect(m.unassignedCells).toBe(0);
    expect(m.duplicatedCells).toBe(0);
    expect(m.splitBuildings).toBe(0);
    expect(result.grids).toHaveLength(2 * Math.round(720 / 200));
    // no grid crosses the road: each grid's cells are all on one side
    for (const g of result.grids) {
      const sides = new Set(g.cellIds.map((id) => graph.nodes.find((n) => n.id === id)?.blockId));
      expect(sides.size).toBe(1);
    }
    expect(result.grids.reduce((s, g) => s + g.households, 0)).toBe(72 * 20);
  });

  it("is deterministic for a seed and keeps a block without households whole", () => {
    expect(kmeansBaseline(graph, 200, 3)).toEqual(kmeansBaseline(graph, 200, 3));
    const empty = lattice({ cols: 4, rows: 4, households: () => 0 });
    const result = kmeansBaseline(empty, 200, 1);
    expect(result.grids).toHaveLength(1);
    expect(result.grids[0]?.cellIds).toHaveLength(16);
  });

  it("weighted k-means pulls centres towards heavy points", () => {
    const points = [
      { x: 0, y: 0, w: 1 },
      { x: 1, y: 0, w: 1 },
      { x: 100, y: 0, w: 50 },
      { x: 101, y: 0, w: 1 },
    ];
    const { centres, label } = weightedKMeans(points, 2, () => 0.5);
    expect(label[0]).toBe(label[1]);
    expect(label[2]).toBe(label[3]);
    expect(label[0]).not.toBe(label[2]);
    const heavy = centres[label[2] ?? 0];
    expect(heavy?.x).toBeCloseTo((100 * 50 + 101) / 51, 6);
  });
});

describe("synthetic street for the partition bench", () => {
  const street = generateSyntheticStreet();

  it("is deterministic and has the sizes the bench names (~5,000 buildings, ~370 grids, a ~700-building community)", () => {
    expect(generateSyntheticStreet()).toEqual(street);
    expect(generateSyntheticStreet(8).buildings.length).not.toBe(street.buildings.length);
    expect(street.buildings.length).toBeGreaterThan(4500);
    expect(street.buildings.length).toBeLessThan(6000);
    const grids = street.communities.reduce((s, c) => {
      const h = street.buildings.filter((b) => b.community === c.index).reduce((t, b) => t + b.households, 0);
      return s + h / (c.estateKind === "old" ? 200 : 500);
    }, 0);
    expect(grids).toBeGreaterThan(300);
    expect(grids).toBeLessThan(450);
    const one = benchCommunity(street);
    const size = street.buildings.filter((b) => b.community === one.index).length;
    expect(one.estateKind).toBe("old");
    expect(Math.abs(size - 700)).toBeLessThan(150);
  });

  it("mixes estate kinds, with walk-ups of 20–60 households and a few towers above the target", () => {
    const walkups = street.buildings.filter((b) => b.kind === "walkup");
    expect(walkups.length).toBeGreaterThan(300);
    expect(walkups.every((b) => b.households >= 20 && b.households <= 60 && b.levels >= 5 && b.levels <= 7)).toBe(true);
    const kinds = new Set(street.buildings.map((b) => b.kind));
    for (const k of ["walkup", "lowrise", "slab", "tower", "shed", "shop", "school"]) expect(kinds).toContain(k);
    const above = street.buildings.filter(
      (b) => b.households > (street.communities[b.community]?.estateKind === "old" ? 200 : 500),
    );
    expect(above.length).toBeGreaterThan(0);
    expect(above.length).toBeLessThan(40);
  });

  it("keeps buildings off the roads that bound blocks", () => {
    const blockRoads = street.roads.filter((r) => r.kind !== "footway");
    const near = (p: [number, number], a: [number, number], b: [number, number]) => {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
      return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
    };
    let closest = Number.POSITIVE_INFINITY;
    for (const b of street.buildings)
      for (const p of b.ring)
        for (const r of blockRoads)
          closest = Math.min(closest, near(p, r.line[0] as [number, number], r.line[1] as [number, number]));
    expect(closest).toBeGreaterThan(3.9);
  });
});
