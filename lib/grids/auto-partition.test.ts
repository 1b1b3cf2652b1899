import { describe, expect, it } from "vitest";
import * as cases from "@/tests/fixtures/partition/cases";
import { lattice, noise } from "@/tests/fixtures/partition/lattice";
import { autoPartition, partitionInto, repartition } from "./auto-partition";
import type { CellGraph } from "./graph";
import { partitionMetrics } from "./partition-metrics";

const TARGET = 200;

function run(graph: CellGraph, target = TARGET, seed = 1) {
  const result = autoPartition(graph, { target, seed });
  return { result, metrics: partitionMetrics(graph, result) };
}

/** Invariants that hold on every input: exact cover (each cell in exactly one grid), contiguity, no split building. */
function expectStructural(graph: CellGraph, target = TARGET) {
  const { result, metrics } = run(graph, target);
  expect(metrics.unassignedCells).toBe(0);
  expect(metrics.duplicatedCells).toBe(0);
  expect(metrics.nonContiguous).toBe(0);
  expect(metrics.splitBuildings).toBe(0);
  expect(metrics.smallBlocksSplit).toBe(0);
  // every grid outside ±10 % is listed with a reason
  const listed = new Set(result.exceptions.map((e) => e.grid));
  for (const g of metrics.grids) if (Math.abs(g.deviation) > 0.1) expect(listed.has(g.index)).toBe(true);
  for (const e of result.exceptions) expect(e.reason.length).toBeGreaterThan(10);
  return { result, metrics };
}

describe("autoPartition", () => {
  it("balances a plain community: all within ±10 %, ≥ 95 % within ±5 %, compact, contiguous", () => {
    const { metrics } = expectStructural(cases.plain());
    expect(metrics.within10Share).toBe(1);
    expect(metrics.within5Share).toBeGreaterThanOrEqual(0.95);
    expect(metrics.ppMin).toBeGreaterThanOrEqual(0.25);
    expect(metrics.exceptions).toBe(0);
  });

  it("partitions each side of a river separately (no grid crosses it)", () => {
    const graph = cases.river();
    const { result, metrics } = expectStructural(graph);
    const left = (id: number) => (id - 1) % 30 < 15;
    for (const g of result.grids) expect(new Set(g.cellIds.map(left)).size).toBe(1);
    expect(metrics.within10Share).toBe(1);
  });

  it("cuts along a major road: most of the road is a grid boundary", () => {
    const { metrics } = expectStructural(cases.majorRoad());
    // the road is 16 cells × 20 m long; cutting along it is cheap, so the plan uses most of it
    expect(metrics.roadBoundaryM).toBeGreaterThanOrEqual(0.5 * 16 * 20);
    expect(metrics.within10Share).toBe(1);
  });

  it("handles L-shaped and ring-shaped communities", () => {
    for (const graph of [cases.lShape(), cases.ring()]) {
      const { metrics } = expectStructural(graph);
      expect(metrics.within10Share).toBe(1);
      expect(metrics.ppMin).toBeGreaterThanOrEqual(0.25);
    }
  });

  it("gives a tower larger than the target its own grid, listed as an exception", () => {
    const { result } = expectStructural(cases.tower());
    const towerId = 8 * 24 + 12 + 1;
    const own = result.grids.find((g) => g.buildingIds.includes(towerId));
    expect(own?.buildingIds).toEqual([towerId]);
    expect(result.exceptions.some((e) => e.reason.includes(`building ${towerId}`))).toBe(true);
  });

  it("keeps buildings touching the community boundary whole", () => {
    const { metrics } = expectStructural(cases.touchingBoundary());
    expect(metrics.within10Share).toBe(1);
  });

  it("gives an empty community and a community without households one grid, with the reason", () => {
    for (const graph of [cases.empty(), cases.zeroHouseholds()]) {
      const { result } = expectStructural(graph);
      expect(result.grids).toHaveLength(1);
      expect(result.exceptions[0]?.reason).toMatch(/no households/);
    }
  });

  it("never splits a block whose households fit in one grid", () => {
    // 3×3 blocks of 4×4 cells, each block 16 × 12 = 192 households ≤ 200
    const graph = lattice({ cols: 12, rows: 12, households: () => 12, roadCols: [3, 7], roadRows: [3, 7] });
    const { metrics } = expectStructural(graph);
    expect(metrics.smallBlocksSplit).toBe(0);
    expect(metrics.roadShare).toBe(1);
  });

  it("is reproducible: same input and seed → same plan", () => {
    const a = autoPartition(cases.plain(), { target: TARGET, seed: 7 });
    const b = autoPartition(cases.plain(), { target: TARGET, seed: 7 });
    expect(b).toEqual(a);
  });

  it("repartition changes only the given grids", () => {
    const graph = cases.plain();
    const before = autoPartition(graph, { target: TARGET, seed: 1 });
    const after = repartition(graph, before, [0, 1], { target: TARGET, seed: 2 });
    const untouched = before.grids.filter((_, i) => i !== 0 && i !== 1);
    for (const g of untouched) expect(after.grids).toContainEqual(g);
    const m = partitionMetrics(graph, after);
    expect(m.unassignedCells).toBe(0);
    expect(m.duplicatedCells).toBe(0);
    expect(m.nonContiguous).toBe(0);
  });

  it("partitionInto forces the grid count (a pair re-split after a hand edit)", () => {
    const graph = cases.plain();
    const whole = autoPartition(graph, { target: TARGET, seed: 1 });
    const pair: CellGraph = {
      nodes: graph.nodes.filter((n) =>
        [...(whole.grids[0]?.cellIds ?? []), ...(whole.grids[1]?.cellIds ?? [])].includes(n.id),
      ),
      edges: graph.edges,
    };
    const ids = new Set(pair.nodes.map((n) => n.id));
    pair.edges = graph.edges.filter((e) => ids.has(e.a) && ids.has(e.b));
    for (const k of [1, 2, 3]) {
      const r = partitionInto(pair, k, { target: TARGET, seed: 1 });
      const m = partitionMetrics(pair, r);
      expect(r.grids).toHaveLength(k);
      expect(m.unassignedCells + m.duplicatedCells + m.nonContiguous).toBe(0);
    }
    expect(partitionInto(pair, 2, { target: TARGET, seed: 4 })).toEqual(
      partitionInto(pair, 2, { target: TARGET, seed: 4 }),
    );
    expect(() => partitionInto(pair, 0, { target: TARGET })).toThrow(/gridCount/);
  });

  it("rejects a bad target", () => {
    expect(() => autoPartition(cases.plain(), { target: 0 })).toThrow(/positive/);
  });

  it("scales near-linearly: ~3,000 cells into ~150 grids quickly", () => {
    const graph = lattice({
      cols: 60,
      rows: 50,
      households: noise(9, 40),
      roadCols: [14, 29, 44],
      roadRows: [12, 24, 36],
    });
    const t = performance.now();
    const { metrics } = run(graph);
    expect(performance.now() - t).toBeLessThan(15_000);
    expect(metrics.nonContiguous).toBe(0);
    expect(metrics.within10Share).toBeGreaterThanOrEqual(0.95);
  });
});
