import { describe, expect, it } from "vitest";
import {
  deviationColor,
  deviationTextColor,
  MAP_BOX,
  SHEET,
  SIDE_BOX,
  TABLE_BOX,
  TABLE_COLUMNS,
  TABLE_MAX_ROWS,
  tableFontSize,
  tableRowHeight,
} from "./layout";

describe("print sheet layout", () => {
  it("keeps every box inside the A4 sheet, the map and the side column apart", () => {
    for (const box of [MAP_BOX, SIDE_BOX, TABLE_BOX]) {
      expect(box.x).toBeGreaterThanOrEqual(SHEET.margin);
      expect(box.x + box.width).toBeLessThanOrEqual(SHEET.width - SHEET.margin);
      expect(box.y + box.height).toBeLessThanOrEqual(SHEET.height - SHEET.margin);
    }
    expect(MAP_BOX.x + MAP_BOX.width).toBeLessThan(SIDE_BOX.x);
    expect(SHEET.width / SHEET.height).toBeCloseTo(297 / 210, 2);
  });

  it("table columns fill the table width", () => {
    expect(TABLE_COLUMNS.reduce((sum, column) => sum + column.width, 0)).toBe(TABLE_BOX.width);
  });

  it("fits the header and every listed row into the table box", () => {
    for (const rows of [1, 10, 33, 52, TABLE_MAX_ROWS]) {
      const height = tableRowHeight(rows);
      expect(height).toBeGreaterThanOrEqual(9);
      expect(height).toBeLessThanOrEqual(16);
      expect((rows + 1) * height).toBeLessThanOrEqual(TABLE_BOX.height);
      expect(tableFontSize(height)).toBeLessThan(height);
    }
    expect(tableRowHeight(3)).toBe(16);
  });

  it("colours deviations with the map's bands", () => {
    expect(deviationColor(-0.2)).toBe("#4e8fd8");
    expect(deviationColor(0.05)).toBe("#4fb286");
    expect(deviationColor(0.1)).toBe("#4fb286");
    expect(deviationColor(0.2)).toBe("#f29c38");
    expect(deviationColor(0.31)).toBe("#d9473b");
    expect(deviationTextColor(0)).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
  });
});
