import { useMemo } from "react";

/** A stable `layout` object carrying visibility (react-map-gl diffs layout by reference, then by key). */
export function useVisibilityLayout<L extends object>(
  layout: L | undefined,
  visible: boolean,
): L & { visibility: "visible" | "none" } {
  return useMemo(() => ({ ...(layout ?? ({} as L)), visibility: visible ? "visible" : "none" }), [layout, visible]);
}
