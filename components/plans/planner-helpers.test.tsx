import { describe, expect, it } from "vitest";
import { deviationBand, formatDeviationFraction, stepKey } from "./format";
import { bboxOf, labelPoint } from "./geometry";
import { serverMessageZh } from "./server-messages";

describe("planner helpers", () => {
  it("bands deviations like the map legend (fractions, percent thresholds)", () => {
    expect(deviationBand(-0.11)).toBe("under");
    expect(deviationBand(-0.1)).toBe("within");
    expect(deviationBand(0.1)).toBe("within");
    expect(deviationBand(0.12)).toBe("over");
    expect(deviationBand(0.31)).toBe("farOver");
    expect(formatDeviationFraction(0.046, "zh-CN")).toBe("+4.6%");
    expect(formatDeviationFraction(-0.04, "en")).toBe("-4.0%");
  });

  it("maps job steps to message keys", () => {
    expect(stepKey(null, "queued")).toEqual({ key: "step_queued" });
    expect(stepKey("tessellate:cells", "running")).toEqual({ key: "step_tessellate" });
    expect(stepKey("partition:320102001001", "running")).toEqual({ key: "step_partition", community: "320102001001" });
    expect(stepKey("write:grids", "running")).toEqual({ key: "step_save" });
    expect(stepKey("something:new", "running")).toEqual({ key: "step_other" });
    expect(stepKey("write:grids", "done")).toEqual({ key: "step_done" });
  });

  it("puts a label inside an L-shaped grid, not at its bbox centre", () => {
    const l = {
      type: "MultiPolygon" as const,
      coordinates: [
        [
          [
            [0, 0],
            [10, 0],
            [10, 2],
            [2, 2],
            [2, 10],
            [0, 10],
            [0, 0],
          ],
        ],
      ],
    };
    expect(bboxOf(l)).toEqual([0, 0, 10, 10]);
    const [x = 0, y = 0] = labelPoint(l);
    expect(x < 2 || y < 2).toBe(true);
    expect(x).toBeGreaterThan(0);
    expect(y).toBeGreaterThan(0);
  });

  it("translates the server's refusals for the Chinese UI and keeps their figures", () => {
    expect(
      serverMessageZh(
        "the line must cross grid 3201020010010003 from one side to the other (its ends may stop at most 5 m short of the outline)",
      ),
    ).toBe("线必须从一侧完整穿过网格 3201020010010003（两端离边界不超过 5 米）");
    expect(
      serverMessageZh(
        "grids 3201020010010001 (292, +46.0%) and 3201020010010002 (1019, +409.5%) are already as balanced as their buildings allow",
      ),
    ).toBe("网格 3201020010010001（292 户，+46.0%）和 3201020010010002（1019 户，+409.5%）已是楼栋允许的最均衡状态");
    expect(serverMessageZh("plan 4 is active: only a draft can be edited")).toBe("方案 4 不是草稿（现行），不能修改");
    expect(
      serverMessageZh(
        "the rebalance could not be computed on these grids' outlines (geometry engine error); nothing was changed — try a slightly different line or selection",
      ),
    ).toMatch(/^自动平衡无法/);
    expect(
      serverMessageZh(
        "the move buildings would cut building 1033 between two grids; nothing was changed — try another line or selection",
      ),
    ).toBe("移动楼栋会把楼栋 1033 分到两个网格中，未做任何修改；请换一条线或重新选择");
    expect(serverMessageZh("something nobody wrote")).toBeUndefined();
  });
});
