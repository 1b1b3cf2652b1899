import {
  EXPORT_SCALE,
  HEADER,
  LEGEND_HEIGHT,
  MAP_BOX,
  SHEET,
  SIDE_BOX,
  TABLE_BOX,
  TABLE_COLUMNS,
  tableFontSize,
  tableRowHeight,
} from "./layout";

/** Fonts of the page (fonts-noto-cjk on the server's Debian; the usual CJK fonts elsewhere). */
export const SHEET_FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

export interface SheetContent {
  /** The map's WebGL canvas (created with preserveDrawingBuffer) sized to MAP_BOX × its pixel ratio. */
  map: CanvasImageSource;
  title: string;
  /** Lines under the title. */
  lines: string[];
  legendTitle: string;
  legend: Array<{ color: string; label: string }>;
  /** Scale bar length in sheet pixels and its label. */
  scale: { px: number; label: string };
  north: string;
  attribution: string;
  table: {
    headers: string[];
    /** Cells per row in TABLE_COLUMNS order, with the colour of the deviation band. */
    rows: Array<{ cells: string[]; color: string }>;
    /** A last line when rows were left out. */
    more?: string;
  };
}

const TEXT = "#1b2733";
const MUTED = "#5b6b7b";
const RULE = "#d9e0e8";

function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Draws the whole sheet (title, map, north arrow, scale bar, attribution, legend, table) onto a new canvas. */
export function composeSheet(content: SheetContent, scale = EXPORT_SCALE): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(SHEET.width * scale);
  canvas.height = Math.round(SHEET.height * scale);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("canvas 2D context unavailable");
  ctx.scale(scale, scale);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, SHEET.width, SHEET.height);
  ctx.textBaseline = "alphabetic";

  // Header
  ctx.fillStyle = TEXT;
  ctx.font = `700 22px ${SHEET_FONT}`;
  ctx.fillText(fitText(ctx, content.title, HEADER.width), HEADER.x, HEADER.y + 24);
  ctx.font = `400 13px ${SHEET_FONT}`;
  ctx.fillStyle = MUTED;
  content.lines.forEach((line, index) => {
    ctx.fillText(fitText(ctx, line, HEADER.width), HEADER.x, HEADER.y + 48 + index * 19);
  });
  ctx.strokeStyle = RULE;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(HEADER.x, MAP_BOX.y - 6.5);
  ctx.lineTo(HEADER.x + HEADER.width, MAP_BOX.y - 6.5);
  ctx.stroke();

  // Map with its frame
  ctx.drawImage(content.map, MAP_BOX.x, MAP_BOX.y, MAP_BOX.width, MAP_BOX.height);
  ctx.strokeStyle = "#8a97a5";
  ctx.strokeRect(MAP_BOX.x + 0.5, MAP_BOX.y + 0.5, MAP_BOX.width - 1, MAP_BOX.height - 1);

  // North arrow (the print map is never rotated)
  const nx = MAP_BOX.x + MAP_BOX.width - 30;
  const ny = MAP_BOX.y + 16;
  ctx.fillStyle = "rgba(255,255,255,0.9)";
  ctx.beginPath();
  ctx.arc(nx, ny + 20, 20, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = TEXT;
  ctx.beginPath();
  ctx.moveTo(nx, ny + 4);
  ctx.lineTo(nx + 8, ny + 28);
  ctx.lineTo(nx, ny + 23);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = TEXT;
  ctx.beginPath();
  ctx.moveTo(nx, ny + 4);
  ctx.lineTo(nx - 8, ny + 28);
  ctx.lineTo(nx, ny + 23);
  ctx.closePath();
  ctx.stroke();
  ctx.font = `700 11px ${SHEET_FONT}`;
  ctx.textAlign = "center";
  ctx.fillText(content.north, nx, ny + 40);
  ctx.textAlign = "left";

  // Scale bar, bottom left
  const sx = MAP_BOX.x + 12;
  const sy = MAP_BOX.y + MAP_BOX.height - 14;
  ctx.fillStyle = "rgba(255,255,255,0.88)";
  ctx.fillRect(sx - 6, sy - 24, content.scale.px + 60, 30);
  ctx.fillStyle = TEXT;
  ctx.fillRect(sx, sy - 5, content.scale.px / 2, 5);
  ctx.strokeStyle = TEXT;
  ctx.strokeRect(sx + 0.5, sy - 4.5, content.scale.px - 1, 4);
  ctx.font = `400 11px ${SHEET_FONT}`;
  ctx.fillText("0", sx - 2, sy - 9);
  ctx.fillText(content.scale.label, sx + content.scale.px - 6, sy - 9);

  // Attribution, bottom right (always visible)
  ctx.font = `400 10px ${SHEET_FONT}`;
  const attributionWidth = ctx.measureText(content.attribution).width;
  const ax = MAP_BOX.x + MAP_BOX.width - attributionWidth - 8;
  const ay = MAP_BOX.y + MAP_BOX.height - 6;
  ctx.fillStyle = "rgba(255,255,255,0.85)";
  ctx.fillRect(ax - 4, ay - 11, attributionWidth + 8, 15);
  ctx.fillStyle = TEXT;
  ctx.fillText(content.attribution, ax, ay);

  // Legend
  ctx.font = `700 13px ${SHEET_FONT}`;
  ctx.fillStyle = TEXT;
  ctx.fillText(content.legendTitle, SIDE_BOX.x, SIDE_BOX.y + 14);
  ctx.font = `400 12px ${SHEET_FONT}`;
  content.legend.forEach((item, index) => {
    const y = SIDE_BOX.y + 26 + index * 21;
    ctx.fillStyle = item.color;
    ctx.globalAlpha = 0.55;
    ctx.fillRect(SIDE_BOX.x, y, 22, 14);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#2f5d8a";
    ctx.strokeRect(SIDE_BOX.x + 0.5, y + 0.5, 21, 13);
    ctx.fillStyle = TEXT;
    ctx.fillText(item.label, SIDE_BOX.x + 30, y + 11.5);
  });
  ctx.strokeStyle = RULE;
  ctx.beginPath();
  ctx.moveTo(SIDE_BOX.x, SIDE_BOX.y + LEGEND_HEIGHT + 4.5);
  ctx.lineTo(SIDE_BOX.x + SIDE_BOX.width, SIDE_BOX.y + LEGEND_HEIGHT + 4.5);
  ctx.stroke();

  // Table
  const rowCount = content.table.rows.length + (content.table.more ? 1 : 0);
  const rowHeight = tableRowHeight(rowCount);
  const fontSize = tableFontSize(rowHeight);
  const drawRow = (cells: string[], y: number, weight: number, color?: string) => {
    let x = TABLE_BOX.x;
    ctx.font = `${weight} ${fontSize}px ${SHEET_FONT}`;
    TABLE_COLUMNS.forEach((column, index) => {
      const text = fitText(ctx, cells[index] ?? "", column.width - 6);
      ctx.fillStyle = column.key === "deviation" && color ? color : TEXT;
      if (column.align === "right") {
        ctx.textAlign = "right";
        ctx.fillText(text, x + column.width - 3, y + rowHeight * 0.72);
      } else {
        ctx.textAlign = "left";
        ctx.fillText(text, x + 3, y + rowHeight * 0.72);
      }
      x += column.width;
    });
    ctx.textAlign = "left";
  };
  let y = TABLE_BOX.y;
  ctx.fillStyle = "#eef2f6";
  ctx.fillRect(TABLE_BOX.x, y, TABLE_BOX.width, rowHeight);
  drawRow(content.table.headers, y, 700);
  y += rowHeight;
  content.table.rows.forEach((row, index) => {
    if (index % 2 === 1) {
      ctx.fillStyle = "#f7f9fb";
      ctx.fillRect(TABLE_BOX.x, y, TABLE_BOX.width, rowHeight);
    }
    drawRow(row.cells, y, 400, row.color);
    y += rowHeight;
  });
  if (content.table.more) {
    ctx.font = `400 ${fontSize}px ${SHEET_FONT}`;
    ctx.fillStyle = MUTED;
    ctx.fillText(fitText(ctx, content.table.more, TABLE_BOX.width - 6), TABLE_BOX.x + 3, y + rowHeight * 0.72);
  }
  return canvas;
}

/** The canvas as a Blob of the given type. */
export function canvasBlob(
  canvas: HTMLCanvasElement,
  type: "image/png" | "image/jpeg",
  quality?: number,
): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`could not encode ${type}`))), type, quality);
  });
}

/** Starts a download of `blob` as `filename`. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
