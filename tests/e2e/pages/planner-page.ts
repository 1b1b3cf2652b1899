import { expect, type Locator, type Page } from "@playwright/test";

type Position = [number, number];
type Ring = Position[];

/** The planner pages: /plans (drafts, automatic partition) and /plans/[planId] (the draft editor over the map). */
export class PlannerPage {
  readonly form: Locator;
  readonly submit: Locator;
  readonly progress: Locator;
  readonly editor: Locator;
  readonly gridTable: Locator;
  readonly gridRows: Locator;
  readonly statGrids: Locator;
  readonly alert: Locator;
  readonly validationList: Locator;
  readonly publishButton: Locator;
  readonly publishDialog: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId("auto-partition-form");
    this.submit = page.getByTestId("auto-partition-submit");
    this.progress = page.getByTestId("job-progress");
    this.editor = page.getByTestId("plan-editor");
    this.gridTable = page.getByTestId("plan-grid-table");
    this.gridRows = this.gridTable.locator("tbody tr[data-grid-id]");
    this.statGrids = page.getByTestId("stat-grids");
    this.alert = page.getByTestId("plan-alert");
    this.validationList = page.getByTestId("validation-list");
    this.publishButton = page.getByTestId("publish");
    this.publishDialog = page.getByTestId("publish-dialog");
  }

  tab(name: "grids" | "validation" | "tools"): Locator {
    return this.page.getByTestId(`tab-${name}`);
  }

  tool(name: "select" | "split" | "merge" | "move" | "reshape" | "rebalance"): Locator {
    return this.page.getByTestId(`tool-${name}`);
  }

  async gridCount(): Promise<number> {
    return Number(((await this.statGrids.textContent()) ?? "").replace(/[^\d]/g, ""));
  }

  /** The console map has its style, the draft overlay has rendered features and nothing is moving. */
  async waitForOverlay(): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const map = window.__consoleMap;
        if (!map?.getLayer("plan-grids-fill") || map.isMoving()) return false;
        return map.queryRenderedFeatures({ layers: ["plan-grids-fill"] }).length > 0;
      },
      null,
      { timeout: 30_000 },
    );
  }

  /** Waits until the map is still and the grid's bbox lies in the visible map right of the panel. */
  async waitForGridInView(bbox: [number, number, number, number]): Promise<void> {
    await this.page.waitForFunction(
      ([w, s, e, n]) => {
        const map = window.__consoleMap;
        if (!map || map.isMoving()) return false;
        const a = map.project([w, n]);
        const b = map.project([e, s]);
        const canvas = map.getCanvas().getBoundingClientRect();
        // Clear of the editor panel (left, 552 px) and the layer panel (right, ~240 px), with room for the line ends.
        return a.x > 580 && a.y > 30 && b.x < canvas.width - 270 && b.y < canvas.height - 30 && b.x - a.x > 40;
      },
      bbox,
      { timeout: 15_000 },
    );
  }

  /** Size in pixels of a bbox on the map now. */
  async pixelSize([w, s, e, n]: [number, number, number, number]): Promise<{ width: number; height: number }> {
    return this.page.evaluate(
      ([w, s, e, n]) => {
        const map = window.__consoleMap;
        if (!map) throw new Error("no console map");
        const a = map.project([w, n]);
        const b = map.project([e, s]);
        return { width: b.x - a.x, height: b.y - a.y };
      },
      [w, s, e, n] as [number, number, number, number],
    );
  }

  /** Page coordinates of a map position. */
  async toScreen(position: Position): Promise<{ x: number; y: number }> {
    return this.page.evaluate((p) => {
      const map = window.__consoleMap;
      if (!map) throw new Error("no console map");
      const point = map.project(p);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + point.x, y: box.top + point.y };
    }, position);
  }
}

/** [west, south, east, north] of a MultiPolygon. */
export function bboxOfMultiPolygon(coordinates: Ring[][]): [number, number, number, number] {
  const xs = coordinates.flatMap((poly) => poly.flatMap((ring) => ring.map((p) => p[0])));
  const ys = coordinates.flatMap((poly) => poly.flatMap((ring) => ring.map((p) => p[1])));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Crossings of the horizontal line y = c (or vertical x = c) with every edge of every ring. */
function crossings(coordinates: Ring[][], axis: 0 | 1, c: number): number {
  let count = 0;
  for (const poly of coordinates)
    for (const ring of poly)
      for (let i = 1; i < ring.length; i++) {
        const a = (ring[i - 1] as Position)[axis];
        const b = (ring[i] as Position)[axis];
        if (a > c !== b > c) count++;
      }
  return count;
}

/**
 * A straight two-point line across the grid that crosses its outline exactly twice (so it divides the grid into two
 * pieces), horizontal or vertical, sticking out of the bbox on both ends by `overshoot` (a fraction of its width / height).
 */
export function lineAcross(coordinates: Ring[][], overshoot: { x: number; y: number }): [Position, Position] {
  const [w, s, e, n] = bboxOfMultiPolygon(coordinates);
  const fractions = [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7];
  const dx = (e - w) * overshoot.x;
  const dy = (n - s) * overshoot.y;
  // Across the longer side first: the two halves are then the least elongated.
  const vertical = e - w > n - s;
  for (const order of vertical ? [0, 1] : [1, 0]) {
    for (const f of fractions) {
      if (order === 0) {
        const x = w + (e - w) * f;
        if (crossings(coordinates, 0, x) === 2)
          return [
            [x, n + dy],
            [x, s - dy],
          ];
      } else {
        const y = s + (n - s) * f;
        if (crossings(coordinates, 1, y) === 2)
          return [
            [w - dx, y],
            [e + dx, y],
          ];
      }
    }
  }
  throw new Error("no straight line crosses this grid exactly twice");
}

export { expect };
