import { GRID_COLORS, GRID_DEVIATION } from "@/lib/map/colors";
import type { PlanGridProperties } from "@/lib/plans/contract";

/**
 * The print sheet's geometry in CSS pixels: A4 landscape at 96 dpi (297 × 210 mm). The on-screen sheet and the
 * exported canvas share these boxes, so what the planner sees is what is exported.
 */
export const SHEET = { width: 1123, height: 794, margin: 24 } as const;
export const HEADER = { x: 24, y: 20, width: 1075, height: 78 } as const;
export const MAP_BOX = { x: 24, y: 108, width: 610, height: 662 } as const;
export const SIDE_BOX = { x: 652, y: 108, width: 447, height: 662 } as const;
export const LEGEND_HEIGHT = 112;
export const TABLE_BOX = {
  x: SIDE_BOX.x,
  y: SIDE_BOX.y + LEGEND_HEIGHT + 10,
  width: SIDE_BOX.width,
  height: SIDE_BOX.height - LEGEND_HEIGHT - 10,
} as const;
/** Export resolution: canvas pixels per sheet pixel (≈ 192 dpi on A4). */
export const EXPORT_SCALE = 2;

/** Table columns: key, width (sheet px) and alignment; widths sum to TABLE_BOX.width. */
export const TABLE_COLUMNS = [
  { key: "code", width: 104, align: "left" },
  // names like 华侨路二十六号社区第10网格 (14 characters) need the room more than the figures do
  { key: "name", width: 147, align: "left" },
  { key: "households", width: 56, align: "right" },
  { key: "target", width: 44, align: "right" },
  { key: "deviation", width: 56, align: "right" },
  { key: "buildings", width: 40, align: "right" },
] as const;
export type TableColumnKey = (typeof TABLE_COLUMNS)[number]["key"];

/** Row height (and font size) so that the header row and every grid fit the table box: 16 px down to 9 px. */
export function tableRowHeight(rows: number): number {
  return Math.max(9, Math.min(16, Math.floor((TABLE_BOX.height / (rows + 1)) * 10) / 10));
}
export function tableFontSize(rowHeight: number): number {
  return Math.max(6.5, Math.min(10, Math.round(rowHeight * 0.68 * 10) / 10));
}
/** Rows that fit the box at the smallest row height; more grids continue in the browser's printout only. */
export const TABLE_MAX_ROWS = Math.floor(TABLE_BOX.height / 9) - 1;

/** The deviation bands of the map (lib/map/colors.ts), for the legend. */
export const LEGEND_BANDS = [
  { key: "legendUnder", color: GRID_COLORS.under },
  { key: "legendWithin", color: GRID_COLORS.within },
  { key: "legendOver", color: GRID_COLORS.over },
  { key: "legendFarOver", color: GRID_COLORS.farOver },
] as const;
export const LEGEND_VARS = {
  under: GRID_DEVIATION.under,
  over: GRID_DEVIATION.over,
  farOver: GRID_DEVIATION.farOver,
} as const;

/** The band colour of a deviation (fraction), same thresholds as the map. */
export function deviationColor(deviation: number): string {
  const pct = deviation * 100;
  if (pct > GRID_DEVIATION.farOver) return GRID_COLORS.farOver;
  if (pct > GRID_DEVIATION.over) return GRID_COLORS.over;
  if (pct < GRID_DEVIATION.under) return GRID_COLORS.under;
  return GRID_COLORS.within;
}

export type SheetGrid = PlanGridProperties;

/** Text in a band's colour needs more contrast than the fill: the band colour darkened. */
export function deviationTextColor(deviation: number): string {
  const value = Number.parseInt(deviationColor(deviation).slice(1), 16);
  const channel = (shift: number) => Math.round(((value >> shift) & 0xff) * 0.72);
  return `rgb(${channel(16)}, ${channel(8)}, ${channel(0)})`;
}
