/** Window event that makes the console map re-fetch its domain tiles (e.g. after a grid redraw or a household import). */
export const MAP_REFRESH_EVENT = "wangge:map-refresh";

/** Call from client code after a mutation that changes grids, buildings or stations. */
export function requestMapRefresh(): void {
  if (typeof window !== "undefined") window.dispatchEvent(new Event(MAP_REFRESH_EVENT));
}
