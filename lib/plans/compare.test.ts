import { describe, expect, it } from "vitest";
import { isWithin, summarizeComparison, unionBbox } from "./compare";
import type { GridStats } from "./contract";

function grid(id: number, households: number, target: number, unchangedFrom?: string | null): GridStats {
  return {
    id,
    code: String(3201040010020000 + id),
    name: `grid ${id}`,
    communityId: 8,
    communityCode: "320104001002",
    estateKind: "old",
    target,
    households,
    deviation: (households - target) / target,
    buildings: 3,
    areaM2: 10_000,
    compactness: 0.6,
    parts: 1,
    unchangedFrom,
  };
}

describe("isWithin", () => {
  it("includes the tolerance itself and excludes anything beyond", () => {
    expect(isWithin(0.05, 0.05)).toBe(true);
    expect(isWithin(-0.05, 0.05)).toBe(true);
    expect(isWithin((210 - 200) / 200, 0.05)).toBe(true);
    expect(isWithin(0.0501, 0.05)).toBe(false);
    expect(isWithin(-0.11, 0.1)).toBe(false);
  });
});

describe("summarizeComparison", () => {
  it("counts grids, changes and balance before and after", () => {
    const before = [grid(1, 300, 200), grid(2, 190, 200), grid(3, 100, 200)];
    const after = [
      grid(11, 205, 200, "3201040010020002"),
      grid(12, 215, 200, null),
      grid(13, 180, 200),
      grid(14, 0, 200),
    ];
    expect(summarizeComparison(before, after)).toEqual({
      gridsBefore: 3,
      gridsAfter: 4,
      changed: 3,
      unchanged: 1,
      householdsBefore: 590,
      householdsAfter: 600,
      within5Before: 1,
      within5After: 1,
      within10Before: 1,
      within10After: 3,
    });
  });

  it("handles a plan without active grids", () => {
    const summary = summarizeComparison([], [grid(1, 200, 200, null)]);
    expect(summary.gridsBefore).toBe(0);
    expect(summary.changed).toBe(1);
    expect(summary.within5After).toBe(1);
  });
});

describe("unionBbox", () => {
  it("is null for no boxes and the enclosing box otherwise", () => {
    expect(unionBbox([])).toBeNull();
    expect(
      unionBbox([
        [118.77, 32.04, 118.78, 32.05],
        [118.76, 32.041, 118.775, 32.06],
      ]),
    ).toEqual([118.76, 32.04, 118.78, 32.06]);
  });
});
