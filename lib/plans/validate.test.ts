import { describe, expect, it } from "vitest";
import type { ValidationIssue } from "./contract";
import { type GridStatsRow, gridIssues, sortIssues, unlistedCommunityIssues } from "./validate";

function grid(overrides: Partial<GridStatsRow>): GridStatsRow {
  return {
    id: 1,
    code: "3201040010020001",
    name: "长白街社区第1网格",
    communityId: 8,
    communityCode: "320104001002",
    communityName: "长白街社区",
    communityParts: 1,
    estateKind: "old",
    target: 200,
    households: 200,
    deviation: 0,
    buildings: 10,
    areaM2: 20_000,
    perimeterM: 600,
    compactness: 0.7,
    parts: 1,
    point: [118.79, 32.03],
    bbox: [118.78, 32.02, 118.8, 32.04],
    ...overrides,
  };
}

describe("gridIssues", () => {
  it("reports nothing for a balanced contiguous grid, and the ±10 % edge is still fine", () => {
    expect(gridIssues([grid({}), grid({ households: 220, deviation: 0.1 })])).toEqual([]);
  });

  it("warns beyond ±10 % with the figures, at the grid's point", () => {
    const [issue] = gridIssues([grid({ households: 260, deviation: 0.3 })]);
    expect(issue).toMatchObject({ kind: "out_of_tolerance", severity: "warning", gridIds: [1] });
    expect(issue?.message).toBe("grid 3201040010020001 has 260 households for a target of 200 (+30.0 %, beyond ±10 %)");
    expect(issue?.geometry).toEqual({ type: "Point", coordinates: [118.79, 32.03] });
    expect(issue?.bbox).toEqual([118.78, 32.02, 118.8, 32.04]);
  });

  it("flags an empty grid as a warning only (no tolerance warning on top)", () => {
    const issues = gridIssues([grid({ households: 0, buildings: 3, deviation: -1 })]);
    expect(issues.map((i) => [i.kind, i.severity])).toEqual([["empty_grid", "warning"]]);
    expect(issues[0]?.message).toMatch(/no households \(3 buildings, 20000 m²\)/);
  });

  it("makes a grid of several parts an error, a warning when its community has several parts", () => {
    expect(gridIssues([grid({ parts: 2 })])[0]).toMatchObject({ kind: "non_contiguous", severity: "error" });
    expect(gridIssues([grid({ parts: 2, communityParts: 3 })])[0]).toMatchObject({
      kind: "non_contiguous",
      severity: "warning",
    });
  });
});

describe("sortIssues", () => {
  it("puts errors first, then orders by kind, stable within a kind", () => {
    const issue = (kind: ValidationIssue["kind"], severity: ValidationIssue["severity"], message: string) =>
      ({
        kind,
        severity,
        message,
        gridIds: [],
        geometry: { type: "Point", coordinates: [0, 0] },
        bbox: [0, 0, 0, 0],
      }) as ValidationIssue;
    const sorted = sortIssues([
      issue("out_of_tolerance", "warning", "a"),
      issue("split_building", "error", "b"),
      issue("gap", "error", "c"),
      issue("non_contiguous", "warning", "d"),
      issue("gap", "error", "e"),
    ]);
    expect(sorted.map((i) => i.message)).toEqual(["c", "e", "b", "d", "a"]);
  });
});

describe("unlistedCommunityIssues", () => {
  it("flags, as an error, each grid of a community the plan does not list", () => {
    const grids = [
      grid({}),
      grid({ id: 2, code: "3201040010030001", communityId: 9, communityCode: "320104001003", communityName: "X社区" }),
    ];
    expect(unlistedCommunityIssues(grids, [8])).toEqual([
      {
        kind: "outside_community",
        severity: "error",
        message: "grid 3201040010030001 belongs to community X社区 (320104001003), which this plan does not include",
        gridIds: [2],
        geometry: { type: "Point", coordinates: [118.79, 32.03] },
        bbox: [118.78, 32.02, 118.8, 32.04],
      },
    ]);
    expect(unlistedCommunityIssues(grids, [8, 9])).toEqual([]);
  });
});
