/**
 * The planner API's wire types (issue 3), shared by the route handlers, the domain modules in `lib/plans/*` and the
 * planner UI. Types only: safe to import from client components.
 *
 * Errors from every planner route: `{ error: string, code?: PlanErrorCode, details?: unknown }` with 400 (bad input,
 * the message names the field or feature), 401/403 (role), 404 (unknown id), 409 (stale version or wrong state),
 * 422 (a well-formed edit that would break an invariant: e.g. "the line must cross grid 3201040010020003 once").
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from "geojson";

export type PlanStatus = "draft" | "active" | "archived";
export type EstateKind = "old" | "new";

export type PlanErrorCode =
  | "bad_input"
  | "not_found"
  | "stale_version"
  | "not_draft"
  | "invalid_edit"
  | "invalid_geometry"
  | "validation_failed"
  /** 409: a partition job for some of the same communities is still queued or running. */
  | "job_running"
  /** 409: undo with no edit left to undo / redo with no undone edit to re-apply. */
  | "nothing_to_undo"
  | "nothing_to_redo";

export interface ApiError {
  error: string;
  code?: PlanErrorCode;
  details?: unknown;
}

/** GET /api/communities → CommunitySummary[] (sorted by code). */
export interface CommunitySummary {
  id: number;
  code: string;
  name: string;
  /** Street (街道) the community belongs to. */
  streetCode: string | null;
  streetName: string | null;
  estateKind: EstateKind | "mixed" | null;
  households: number;
  buildings: number;
  /** Grids of the active plan in this community. */
  activeGrids: number;
}

/** GET /api/communities/{id} → the boundary as a Feature with the summary as properties. */
export type CommunityFeature = Feature<Polygon | MultiPolygon, CommunitySummary>;

/** POST /api/plans/auto-partition body. `targets` wins over `target`; neither → 200 old / 500 new. */
export interface AutoPartitionRequest {
  communities: Array<number | string>; // ids or 12-digit codes
  target?: number;
  targets?: { old: number; new: number };
  seed?: number;
  name?: string;
  /** false → 202 { jobId } at once (the UI polls the job); default true → waits and answers 201 { planId, jobId }. */
  wait?: boolean;
}

/** GET /api/plans/jobs/{id}. */
export interface PartitionJobView {
  id: number;
  status: "queued" | "running" | "done" | "failed";
  /** Human-readable current step in zh-CN or en is up to the UI; this is the machine key. */
  step: string | null;
  progress: number; // 0..1
  planId: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface GridStats {
  id: number;
  code: string;
  name: string;
  communityId: number;
  communityCode: string;
  estateKind: EstateKind;
  target: number;
  households: number;
  /** (households − target) / target, e.g. -0.04. */
  deviation: number;
  buildings: number;
  areaM2: number;
  /** Polsby–Popper 4πA/P², 0..1. */
  compactness: number;
  /** Number of polygon parts (1 = contiguous). */
  parts: number;
  /** Compare view only: same geometry (within 1 m²) as an active grid → that grid's code, else null. */
  unchangedFrom?: string | null;
}

export type ValidationKind =
  | "gap"
  | "overlap"
  | "split_building"
  | "non_contiguous"
  | "out_of_tolerance"
  | "empty_grid"
  | "outside_community";

export interface ValidationIssue {
  kind: ValidationKind;
  /** "error" blocks publishing; "warning" (e.g. out_of_tolerance, a tower alone) does not. */
  severity: "error" | "warning";
  message: string;
  gridIds: number[];
  buildingId?: number;
  /** Where to show it on the map (the gap/overlap polygon, the building, or the grid's point on surface). */
  geometry: Polygon | MultiPolygon | Point;
  /** [west, south, east, north] to zoom to. */
  bbox: [number, number, number, number];
}

export interface PlanSummary {
  id: number;
  name: string;
  status: PlanStatus;
  version: number;
  communityIds: number[];
  targets: { old: number; new: number } | null;
  seed: number | null;
  gridCount: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

/** GET /api/plans → PlanSummary[] (drafts first, newest first). GET /api/plans/{id} → PlanDetail. */
export interface PlanDetail extends PlanSummary {
  grids: GridStats[];
  validation: ValidationIssue[];
  totals: {
    grids: number;
    households: number;
    within5: number; // grids within ±5 %
    within10: number;
    meanCompactness: number;
    minCompactness: number;
  };
  /** Undo/redo availability for the editor. */
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * GET /api/plans/{id}/geojson → FeatureCollection (EPSG:4326) of the plan's grids; properties below.
 * POST /api/plans/import (body: that FeatureCollection + optional `name`) → 201 { planId } as a new draft; each
 * feature needs `community` (code) or lies inside one community; bad geometry / CRS / coverage → 400 naming the feature.
 */
export interface PlanGridProperties {
  id: number;
  code: string;
  name: string;
  community: string;
  households: number;
  target: number;
  deviation: number;
  buildings: number;
}
export type PlanGeoJson = FeatureCollection<MultiPolygon, PlanGridProperties>;

/** POST /api/plans/{id}/edits body: one edit; every edit carries the version the client saw. */
export type PlanEditRequest =
  | { op: "split"; version: number; gridId: number; line: [number, number][] }
  | { op: "merge"; version: number; gridIds: [number, number] }
  | { op: "move_buildings"; version: number; buildingIds: number[]; toGridId: number }
  /** New shared boundary between two adjacent grids, as a line from one end of the old shared boundary to the other. */
  | { op: "reshape"; version: number; gridIds: [number, number]; line: [number, number][] }
  /** Re-split the union of two adjacent grids to balance households (the engine's pair re-split). */
  | { op: "rebalance"; version: number; gridIds: [number, number] };

/** Answer to an edit, undo or redo: the new version and the whole refreshed detail (stats at once). */
export interface PlanEditResponse {
  plan: PlanDetail;
  /** Grids the edit removed and added (ids), so the map can flash them. */
  removedGridIds: number[];
  addedGridIds: number[];
}

/** POST /api/plans/{id}/undo and /redo body. */
export interface UndoRedoRequest {
  version: number;
}

/** GET /api/plans/{id}/shared-boundary?a=&b= → the shared boundary of two adjacent grids (for reshape handles). */
export interface SharedBoundary {
  gridIds: [number, number];
  line: [number, number][];
}

/** POST /api/plans/{id}/publish body / answer. */
export interface PublishRequest {
  version: number;
}
export interface PublishResponse {
  planId: number;
  publishedAt: string;
  /** Active grids replaced (now history with valid_to = publishedAt). */
  retiredGrids: number;
  grids: Array<{ id: number; code: string; keptCode: boolean }>;
  reassigned: { buildings: number; openCases: number; gridMembers: number; partyOrganizations: number };
  /** People and organisations whose grid disappeared without a clear successor (flagged for the planner). */
  flagged: Array<{ kind: "grid_member" | "party_organization"; id: number; name: string; reason: string }>;
}

/** GET /api/grids/history?date=YYYY-MM-DD[&community=code] → grids valid on that date (end of day, Asia/Shanghai). */
export type GridHistoryGeoJson = FeatureCollection<
  MultiPolygon,
  { id: number; code: string; name: string; planId: number; validFrom: string | null; validTo: string | null }
>;
