"use client";
import { useEffect, useState } from "react";
import type { BuildingDetails, GridDetails, StationDetails } from "@/lib/features/schemas";
import type { FeatureKind } from "@/lib/map/ids";
import type { Selection } from "@/lib/map/url-state";

export type FeatureDetails =
  | { kind: "grid"; data: GridDetails }
  | { kind: "building"; data: BuildingDetails }
  | { kind: "station"; data: StationDetails };

export type DetailsState =
  | { status: "idle" }
  | { status: "loading"; selection: Selection }
  | { status: "ok"; selection: Selection; details: FeatureDetails }
  | { status: "error"; selection: Selection; httpStatus: number };

const ROUTE: Record<FeatureKind, string> = { grid: "grids", building: "buildings", station: "stations" };

/** The JSON route that serves a feature's details (app/api/features/…/[id]). */
export function featureDetailsUrl(selection: Selection): string {
  return `/api/features/${ROUTE[selection.kind]}/${selection.id}`;
}

/** Loads the selected feature's details; `reload` retries after an error. */
export function useFeatureDetails(selection: Selection | undefined): { state: DetailsState; reload: () => void } {
  const [state, setState] = useState<DetailsState>({ status: "idle" });
  const [attempt, setAttempt] = useState(0);
  const kind = selection?.kind;
  const id = selection?.id;
  useEffect(() => {
    void attempt;
    if (!kind || !id) {
      setState({ status: "idle" });
      return;
    }
    const current: Selection = { kind, id };
    const controller = new AbortController();
    setState({ status: "loading", selection: current });
    fetch(featureDetailsUrl(current), { signal: controller.signal, cache: "no-store", credentials: "same-origin" })
      .then(async (response) => {
        if (!response.ok) {
          setState({ status: "error", selection: current, httpStatus: response.status });
          return;
        }
        // safe because the route's payload type is fixed per kind (lib/features/queries.ts)
        const details = { kind, data: await response.json() } as FeatureDetails;
        setState({ status: "ok", selection: current, details });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        console.warn("feature details failed", error);
        setState({ status: "error", selection: current, httpStatus: 0 });
      });
    return () => controller.abort();
  }, [kind, id, attempt]);
  return { state, reload: () => setAttempt((value) => value + 1) };
}
