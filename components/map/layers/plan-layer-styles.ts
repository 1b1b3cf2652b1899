import type {
  CircleLayerSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from "maplibre-gl";
import { FONT } from "@/lib/map/basemap-layer-styles";
import { GRID_COLORS, GRID_DEVIATION } from "@/lib/map/colors";
import { ANCHOR } from "@/lib/map/ids";

/**
 * The plan editor's overlay on the console map (components/plans/plan-editor.tsx): the draft's grids coloured with the
 * same deviation bands as the active grids, their labels, validation geometry in red hatch, the split line being drawn
 * and the reshape handles. Sources are GeoJSON owned by the editor (useMapOverlay).
 */
export const PLAN_SOURCE = {
  grids: "plan-grids",
  labels: "plan-grid-labels",
  issues: "plan-issues",
  flash: "plan-flash",
  draw: "plan-draw",
  preview: "plan-draw-preview",
  handles: "plan-handles",
} as const;

export const PLAN_LAYER = {
  gridsFill: "plan-grids-fill",
  gridsOutline: "plan-grids-outline",
  gridsLabel: "plan-grids-label",
  issuesFill: "plan-issues-fill",
  issuesLine: "plan-issues-line",
  issuesPoint: "plan-issues-point",
  flashLine: "plan-flash-line",
  flashFill: "plan-flash-fill",
  drawLine: "plan-draw-line",
  drawPoints: "plan-draw-points",
  previewLine: "plan-draw-preview-line",
  handlesLine: "plan-handles-line",
  handlesCircle: "plan-handles-circle",
} as const;

/** Image id of the red diagonal hatch (added by the editor with `hatchImage()`). */
export const PLAN_HATCH_IMAGE = "plan-hatch";
export const ISSUE_COLOR = "#d62b1f";
export const DRAW_COLOR = "#7b1fa2";

const hovered: ExpressionSpecification = ["boolean", ["feature-state", "hover"], false];
const selected: ExpressionSpecification = ["boolean", ["feature-state", "selected"], false];

/** `deviation` is a fraction (−0.04) in the plan GeoJSON; bands in percent as for the active grids. */
export const planDeviationColor: ExpressionSpecification = [
  "step",
  ["*", 100, ["to-number", ["get", "deviation"], 0]],
  GRID_COLORS.under,
  GRID_DEVIATION.under,
  GRID_COLORS.within,
  GRID_DEVIATION.over + 0.0001,
  GRID_COLORS.over,
  GRID_DEVIATION.farOver + 0.0001,
  GRID_COLORS.farOver,
];

type Positioned<L> = L & { beforeId?: string };

export const planGridsFillLayer: Positioned<FillLayerSpecification> = {
  id: PLAN_LAYER.gridsFill,
  type: "fill",
  source: PLAN_SOURCE.grids,
  beforeId: ANCHOR.buildings,
  paint: {
    "fill-color": planDeviationColor,
    "fill-opacity": ["case", selected, 0.55, hovered, 0.45, 0.3],
  },
};

export const planGridsOutlineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.gridsOutline,
  type: "line",
  source: PLAN_SOURCE.grids,
  beforeId: ANCHOR.labels,
  layout: { "line-join": "round" },
  paint: {
    "line-color": ["case", selected, GRID_COLORS.selected, "#173a5e"],
    "line-width": ["interpolate", ["linear"], ["zoom"], 13, ["case", selected, 3, 1.6], 17, ["case", selected, 5, 3]],
  },
};

/** Label points (one per grid): last four digits of the code and the households. */
export const planGridsLabelLayer: Positioned<SymbolLayerSpecification> = {
  id: PLAN_LAYER.gridsLabel,
  type: "symbol",
  source: PLAN_SOURCE.labels,
  beforeId: ANCHOR.stations,
  minzoom: 13.5,
  layout: {
    "text-field": [
      "format",
      ["get", "suffix"],
      { "font-scale": 1 },
      "\n",
      {},
      ["get", "households"],
      { "font-scale": 0.85 },
    ],
    "text-font": FONT,
    "text-size": ["interpolate", ["linear"], ["zoom"], 14, 10, 17, 13],
    "text-padding": 2,
    "text-allow-overlap": false,
  },
  paint: {
    "text-color": GRID_COLORS.label,
    "text-halo-color": "#ffffff",
    "text-halo-width": 1.6,
  },
};

export const planIssuesFillLayer: Positioned<FillLayerSpecification> = {
  id: PLAN_LAYER.issuesFill,
  type: "fill",
  source: PLAN_SOURCE.issues,
  beforeId: ANCHOR.labels,
  filter: ["!=", ["geometry-type"], "Point"],
  paint: { "fill-pattern": PLAN_HATCH_IMAGE, "fill-opacity": 0.9 },
};

export const planIssuesLineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.issuesLine,
  type: "line",
  source: PLAN_SOURCE.issues,
  beforeId: ANCHOR.labels,
  filter: ["!=", ["geometry-type"], "Point"],
  paint: { "line-color": ISSUE_COLOR, "line-width": 2, "line-dasharray": [2, 1] },
};

export const planIssuesPointLayer: Positioned<CircleLayerSpecification> = {
  id: PLAN_LAYER.issuesPoint,
  type: "circle",
  source: PLAN_SOURCE.issues,
  beforeId: ANCHOR.labels,
  filter: ["==", ["geometry-type"], "Point"],
  paint: {
    "circle-radius": 6,
    "circle-color": "#ffffff",
    "circle-stroke-color": ISSUE_COLOR,
    "circle-stroke-width": 3,
  },
};

/** The geometry of the issue or grid just clicked in the panel, drawn thick for a moment. */
export const planFlashFillLayer: Positioned<FillLayerSpecification> = {
  id: PLAN_LAYER.flashFill,
  type: "fill",
  source: PLAN_SOURCE.flash,
  beforeId: ANCHOR.labels,
  filter: ["!=", ["geometry-type"], "Point"],
  paint: { "fill-color": ISSUE_COLOR, "fill-opacity": 0.25 },
};

export const planFlashLineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.flashLine,
  type: "line",
  source: PLAN_SOURCE.flash,
  beforeId: ANCHOR.labels,
  paint: { "line-color": ISSUE_COLOR, "line-width": 5, "line-opacity": 0.9 },
};

export const planDrawLineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.drawLine,
  type: "line",
  source: PLAN_SOURCE.draw,
  beforeId: ANCHOR.stations,
  filter: ["==", ["geometry-type"], "LineString"],
  layout: { "line-cap": "round", "line-join": "round" },
  paint: { "line-color": DRAW_COLOR, "line-width": 3, "line-dasharray": [2, 1] },
};

export const planDrawPointsLayer: Positioned<CircleLayerSpecification> = {
  id: PLAN_LAYER.drawPoints,
  type: "circle",
  source: PLAN_SOURCE.draw,
  beforeId: ANCHOR.stations,
  filter: ["==", ["geometry-type"], "Point"],
  paint: {
    "circle-radius": 5,
    "circle-color": "#ffffff",
    "circle-stroke-color": DRAW_COLOR,
    "circle-stroke-width": 2.5,
  },
};

/** The segment from the last clicked point to the pointer while a split line is drawn. */
export const planPreviewLineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.previewLine,
  type: "line",
  source: PLAN_SOURCE.preview,
  beforeId: ANCHOR.stations,
  layout: { "line-cap": "round" },
  paint: { "line-color": DRAW_COLOR, "line-width": 2, "line-opacity": 0.6, "line-dasharray": [1, 1.5] },
};

export const planHandlesLineLayer: Positioned<LineLayerSpecification> = {
  id: PLAN_LAYER.handlesLine,
  type: "line",
  source: PLAN_SOURCE.handles,
  beforeId: ANCHOR.stations,
  filter: ["==", ["geometry-type"], "LineString"],
  layout: { "line-cap": "round", "line-join": "round" },
  paint: { "line-color": DRAW_COLOR, "line-width": 4 },
};

export const planHandlesCircleLayer: Positioned<CircleLayerSpecification> = {
  id: PLAN_LAYER.handlesCircle,
  type: "circle",
  source: PLAN_SOURCE.handles,
  beforeId: ANCHOR.stations,
  filter: ["==", ["geometry-type"], "Point"],
  paint: {
    "circle-radius": ["case", ["boolean", ["get", "fixed"], false], 4, 7],
    "circle-color": ["case", ["boolean", ["get", "moved"], false], DRAW_COLOR, "#ffffff"],
    "circle-stroke-color": DRAW_COLOR,
    "circle-stroke-width": 2.5,
  },
};

export const PLAN_GRID_LAYERS = [planGridsFillLayer, planGridsOutlineLayer] as const;
export const PLAN_LABEL_LAYERS = [planGridsLabelLayer] as const;
export const PLAN_ISSUE_LAYERS = [planIssuesFillLayer, planIssuesLineLayer, planIssuesPointLayer] as const;
export const PLAN_FLASH_LAYERS = [planFlashFillLayer, planFlashLineLayer] as const;
export const PLAN_DRAW_LAYERS = [planDrawLineLayer, planDrawPointsLayer] as const;
export const PLAN_PREVIEW_LAYERS = [planPreviewLineLayer] as const;
export const PLAN_HANDLE_LAYERS = [planHandlesLineLayer, planHandlesCircleLayer] as const;

/** A 12×12 RGBA diagonal hatch in the issue colour, for `map.addImage(PLAN_HATCH_IMAGE, hatchImage())`. */
export function hatchImage(size = 12): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const onStripe = (x + y) % size < 2;
      const i = (y * size + x) * 4;
      data[i] = 0xd6;
      data[i + 1] = 0x2b;
      data[i + 2] = 0x1f;
      data[i + 3] = onStripe ? 200 : 28;
    }
  }
  return { width: size, height: size, data };
}
