import { formatNumber, type Locale } from "@/lib/i18n/core";
import { GRID_COLORS, GRID_DEVIATION } from "@/lib/map/colors";

/** Deviation as a fraction (−0.04) → percent text "−4.0%" in the locale. */
export function formatDeviationFraction(deviation: number, locale: Locale): string {
  const pct = deviation * 100;
  const value = formatNumber(pct, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${pct > 0.05 ? "+" : ""}${value}%`;
}

/** Same bands and classes as the active grid table and the map legend (lib/map/colors.ts). */
export function deviationBand(deviation: number): "under" | "within" | "over" | "farOver" {
  const pct = deviation * 100;
  if (pct > GRID_DEVIATION.farOver) return "farOver";
  if (pct > GRID_DEVIATION.over) return "over";
  if (pct < GRID_DEVIATION.under) return "under";
  return "within";
}

export const DEVIATION_CLASS = {
  under: "deviation-under",
  within: "deviation-within",
  over: "deviation-over",
  farOver: "deviation-far-over",
} as const;

export const BAND_COLOR = {
  under: GRID_COLORS.under,
  within: GRID_COLORS.within,
  over: GRID_COLORS.over,
  farOver: GRID_COLORS.farOver,
} as const;

export function formatDateTime(iso: string | null, locale: Locale): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(date);
}

export function percent(part: number, whole: number, locale: Locale): string {
  if (whole <= 0) return "0";
  return formatNumber((part / whole) * 100, locale, { maximumFractionDigits: 0 });
}

/** A job step key ("tessellate:cells", "partition:320104001002", "write:grids") → message key + community code. */
export function stepKey(
  step: string | null,
  status: string,
):
  | {
      key:
        | "step_queued"
        | "step_tessellate"
        | "step_refine"
        | "step_save"
        | "step_validate"
        | "step_done"
        | "step_other";
    }
  | { key: "step_partition"; community: string } {
  if (status === "queued" || !step) return { key: status === "done" ? "step_done" : "step_queued" };
  if (status === "done") return { key: "step_done" };
  const [prefix, rest = ""] = step.split(":", 2);
  switch (prefix) {
    case "tessellate":
    case "load":
    case "start":
      return { key: "step_tessellate" };
    case "partition":
      return rest ? { key: "step_partition", community: rest } : { key: "step_other" };
    case "refine":
    case "repair":
    case "balance":
      return { key: "step_refine" };
    case "write":
    case "save":
      return { key: "step_save" };
    case "validate":
      return { key: "step_validate" };
    case "done":
      return { key: "step_done" };
    default:
      return { key: "step_other" };
  }
}
