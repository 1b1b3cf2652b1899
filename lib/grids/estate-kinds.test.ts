import { describe, expect, it } from "vitest";
import { cellId, lattice } from "@/tests/fixtures/partition/lattice";
import { autoPartition } from "./auto-partition";
import { blockEstateKinds, cellEstateKinds, dominantKind, partitionByEstateKind } from "./estate-kinds";
import { partitionMetrics } from "./partition-metrics";

const COLS = 24;
const ROWS = 20;
const TARGETS = { old: 200, new: 500 };
/** Columns 12…23 are new estates (towers); the road between columns 11 and 12 separates the two parts. */
const isNewCol = (c: number) => c >= 12;
/** The empty block: columns 16…19 × rows 5…9 (a park inside the new part). */
const inPark = (c: number, r: number) => c >= 16 && c <= 19 && r >= 5 && r <= 9;

function mixedLattice() {
  return lattice({
    cols: COLS,
    rows: ROWS,
    roadCols: [3, 7, 11, 15, 19],
    roadRows: [4, 9, 14],
    // old part: 5 households per cell (240 cells → 1,200); new part: 30 per cell outside the park (220 cells → 6,600; blocks of 600 are split)
    households: (c, r) => (inPark(c, r) ? 0 : isNewCol(c) ? 30 : 5),
  });
}
const newBuilding = (b: number) => isNewCol((b - 1) % COLS);

describe("estate kinds of a mixed community", () => {
  it("classifies blocks by their households and gives an empty block its neighbours' kind", () => {
    const graph = mixedLattice();
    const kinds = blockEstateKinds(graph, newBuilding, TARGETS);
    const blockOf = new Map(graph.nodes.map((n) => [n.id, n.blockId]));
    expect(kinds.get(blockOf.get(cellId(COLS, 0, 0)) as number)).toBe("old");
    expect(kinds.get(blockOf.get(cellId(COLS, 11, 19)) as number)).toBe("old");
    expect(kinds.get(blockOf.get(cellId(COLS, 12, 0)) as number)).toBe("new");
    expect(kinds.get(blockOf.get(cellId(COLS, 17, 7)) as number)).toBe("new"); // the park
    expect(dominantKind({ old: 1200, new: 6600 })).toBe("new");
    expect(dominantKind({ old: 0, new: 0 })).toBe("old");
  });

  it("partitions the old part at ~200 and the new part at ~500, no grid mixing both kinds", () => {
    const graph = mixedLattice();
    const mixed = partitionByEstateKind(graph, newBuilding, TARGETS, { seed: 1 });
    expect(mixed.parts.map((p) => p.estateKind)).toEqual(["old", "new"]);
    expect(mixed.dominant).toBe("new");
    expect(mixed.result.target).toBe(500);
    const colOf = (id: number) => (id - 1) % COLS;
    const oldGrids = mixed.result.grids.filter((_, i) => mixed.gridKinds[i] === "old");
    const newGrids = mixed.result.grids.filter((_, i) => mixed.gridKinds[i] === "new");
    expect(oldGrids.length).toBe(6);
    expect(newGrids.length).toBe(13);
    mixed.result.grids.forEach((g, i) => {
      const kind = mixed.gridKinds[i];
      expect(mixed.gridTargets[i]).toBe(kind === "new" ? 500 : 200);
      // every cell of a grid lies in its kind's part
      expect(g.cellIds.every((id) => isNewCol(colOf(id)) === (kind === "new"))).toBe(true);
    });
    for (const g of oldGrids) expect(Math.abs(g.households - 200) / 200).toBeLessThanOrEqual(0.1);
    for (const g of newGrids) expect(Math.abs(g.households - 500) / 500).toBeLessThanOrEqual(0.1);
    // every cell in exactly one grid; the park's cells are in new grids
    const all = mixed.result.grids.flatMap((g) => g.cellIds).sort((p, q) => p - q);
    expect(all).toEqual(graph.nodes.map((n) => n.id).sort((p, q) => p - q));
    const parkGrid = mixed.result.grids.findIndex((g) => g.cellIds.includes(cellId(COLS, 17, 7)));
    expect(mixed.gridKinds[parkGrid]).toBe("new");
    // exceptions point at grids of the merged result
    for (const x of mixed.result.exceptions) expect(x.grid).toBeLessThan(mixed.result.grids.length);
    // metrics per grid against its own target
    const m = partitionMetrics(graph, mixed.result, mixed.gridTargets);
    expect(m.grids.map((g) => g.target)).toEqual(mixed.gridTargets);
    expect(m.within10).toBe(m.gridCount);
    expect(m.unassignedCells).toBe(0);
    expect(m.duplicatedCells).toBe(0);
    // with the single target of the merged result the old grids would look 60 % short
    expect(partitionMetrics(graph, mixed.result).within10).toBeLessThan(m.gridCount);
  });

  it("a community of one kind is partitioned exactly as before", () => {
    const graph = mixedLattice();
    for (const [isNew, kind] of [
      [() => false, "old"],
      [() => true, "new"],
    ] as const) {
      const mixed = partitionByEstateKind(graph, isNew, TARGETS, { seed: 3 });
      expect(mixed.parts).toHaveLength(1);
      expect(mixed.dominant).toBe(kind);
      expect(mixed.result).toEqual(autoPartition(graph, { target: TARGETS[kind], seed: 3 }));
      expect(mixed.gridKinds.every((k) => k === kind)).toBe(true);
    }
  });

  it("a piece of one kind too small for a grid of its own joins the other kind", () => {
    // 12 households per cell: a block of 4 × 5 cells holds 240
    const graph = lattice({
      cols: COLS,
      rows: ROWS,
      roadCols: [3, 7, 11, 15, 19],
      roadRows: [4, 9, 14],
      households: () => 12,
    });
    const newWhere = (rows: number) => (b: number) => {
      const c = (b - 1) % COLS;
      const r = Math.floor((b - 1) / COLS);
      return c >= 12 && c <= 15 && r <= rows;
    };
    // one new block (240 < 500 / 2): joins the old part, the community is partitioned as all old
    expect(new Set(blockEstateKinds(graph, newWhere(4), TARGETS).values())).toEqual(new Set(["old"]));
    const mixed = partitionByEstateKind(graph, newWhere(4), TARGETS, { seed: 1 });
    expect(mixed.parts).toHaveLength(1);
    expect(mixed.gridTargets.every((t) => t === 200)).toBe(true);
    // two neighbouring new blocks (480 ≥ 250) stay new
    expect([...blockEstateKinds(graph, newWhere(9), TARGETS).values()].filter((k) => k === "new")).toHaveLength(2);
  });

  it("an empty block with no classified neighbour takes the dominant kind; the same seed gives the same grids", () => {
    // columns 0…3: empty land cut off by a river (no adjacency) — it cannot borrow a neighbour's kind
    const graph = lattice({
      cols: COLS,
      rows: ROWS,
      riverCols: [3],
      roadCols: [11],
      households: (c) => (c <= 3 ? 0 : isNewCol(c) ? 30 : 5),
    });
    const kinds = blockEstateKinds(graph, newBuilding, TARGETS);
    const blockOf = new Map(graph.nodes.map((n) => [n.id, n.blockId]));
    expect(kinds.get(blockOf.get(cellId(COLS, 0, 0)) as number)).toBe("new"); // 7,200 new vs 800 old households
    expect(kinds.get(blockOf.get(cellId(COLS, 5, 0)) as number)).toBe("old");
    const a = partitionByEstateKind(graph, newBuilding, TARGETS, { seed: 5 });
    expect(partitionByEstateKind(graph, newBuilding, TARGETS, { seed: 5 })).toEqual(a);
    expect(a.parts.map((p) => p.estateKind)).toEqual(["old", "new"]);
  });

  it("cells of one building take one kind", () => {
    // one building spans the road between columns 11 and 12 (cells (11,0) and (12,0))
    const graph = lattice({
      cols: COLS,
      rows: ROWS,
      roadCols: [11],
      households: (c) => (isNewCol(c) ? 12 : 5),
      building: (c, r) => (r === 0 && (c === 11 || c === 12) ? 10_000 : cellId(COLS, c, r)),
    });
    const isNew = (b: number) => b !== 10_000 && newBuilding(b);
    const kinds = cellEstateKinds(graph, blockEstateKinds(graph, isNew, TARGETS), "new");
    expect(kinds.get(cellId(COLS, 11, 0))).toBe(kinds.get(cellId(COLS, 12, 0)));
    // the building's households: 5 in the old block, 12 in the new one → new
    expect(kinds.get(cellId(COLS, 11, 0))).toBe("new");
  });
});
