import { z } from "zod";

/** The `[id]` segment of /api/features/{grids,buildings,stations}/[id]: a positive integer row id. */
export const FeatureIdParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "id must be a positive integer")
  .transform(Number)
  .refine((value) => value <= 2_147_483_647, "id is too large");
export type FeatureIdParam = z.infer<typeof FeatureIdParam>;

/** [west, south, east, north] in degrees. */
export type Bbox = [number, number, number, number];
export type LngLat = [number, number];

/** Where to fly to: every details payload carries its feature's extent and a point inside it. */
export type FeatureLocation = { bbox: Bbox; lngLat: LngLat };

export type GridDetails = FeatureLocation & {
  id: number;
  code: string;
  name: string;
  communityId: number;
  communityName: string | null;
  streetName: string | null;
  estateKind: "old" | "new";
  householdTarget: number;
  households: number;
  /** (households − target) / target × 100, one decimal. */
  deviationPct: number;
  buildingCount: number;
  estimatedBuildingCount: number;
  areaM2: number;
  /** False when a later plan replaced this grid. */
  current: boolean;
};

export type BuildingDetails = FeatureLocation & {
  id: number;
  name: string | null;
  address: string | null;
  buildingType: string;
  levels: number;
  levelsSource: "tagged" | "height" | "default";
  heightM: number | null;
  residential: boolean;
  areaM2: number;
  households: number;
  householdsEstimated: number;
  householdsSurveyed: number | null;
  householdsSource: "estimated" | "surveyed";
  gridId: number | null;
  gridCode: string | null;
  communityName: string | null;
};

export type StationKind = "party_center" | "party_station" | "convenience_station" | "government_center";

export type StationDetails = FeatureLocation & {
  id: number;
  name: string;
  kind: StationKind;
  status: "active" | "draft" | "closed";
  isDemo: boolean;
  services: string[];
  openingHours: string | null;
  phone: string | null;
  address: string | null;
  communityName: string | null;
};
