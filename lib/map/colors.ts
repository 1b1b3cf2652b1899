/** Colours shared by the layer styles and the legend, so the legend can never drift from the map. */

export const BASEMAP_COLORS = {
  land: "#f2efe9",
  residential: "#ebe7df",
  commercial: "#efe6df",
  industrial: "#e8e4ea",
  education: "#f3ecd6",
  health: "#f3e0de",
  parking: "#e6e3dd",
  sports: "#d8ead0",
  park: "#cfe5c0",
  forest: "#bcdba8",
  water: "#a6c8e6",
  waterLabel: "#3f6f9c",
  parkLabel: "#3d6b2f",
  roadFill: "#ffffff",
  roadCasing: "#d3cbbd",
  majorRoadFill: "#fde9b0",
  majorRoadCasing: "#dcb766",
  railway: "#9a9a9a",
  label: "#4a4a4a",
  labelHalo: "#ffffff",
} as const;

/** Grid fill by deviation from the household target. */
export const GRID_COLORS = {
  under: "#4e8fd8",
  within: "#4fb286",
  over: "#f29c38",
  farOver: "#d9473b",
  outline: "#2f5d8a",
  selected: "#00a3ff",
  label: "#1f3550",
} as const;

/** Deviation thresholds in percent: under −10 blue, within ±10 green, over +10 orange, over +30 red. */
export const GRID_DEVIATION = { under: -10, over: 10, farOver: 30 } as const;

export const BUILDING_COLORS = {
  nonResidential: "#c9c4bb",
  estimated: "#f0b25a",
  surveyed: "#3a9c8f",
  few: "#f6d7a7",
  some: "#eb9f58",
  many: "#c8582e",
  outline: "#8c7e6a",
  hover: "#6d4aa8",
  selected: "#1d3fbf",
} as const;

/** Households thresholds for the households colouring. */
export const BUILDING_HOUSEHOLDS = { some: 20, many: 80 } as const;

export const STATION_COLORS = {
  party_center: "#c8161d",
  party_station: "#e0533b",
  convenience_station: "#1f7fc4",
  government_center: "#7a3fb0",
  demoStroke: "#8d8d8d",
  stroke: "#ffffff",
  selected: "#1d3fbf",
} as const;

export const ADMIN_COLORS = {
  communityFill: "#7f6ab4",
  communityLine: "#7f6ab4",
  streetLine: "#5a3e99",
  label: "#4b3a7a",
} as const;
