import { formatNumber, type Locale } from "@/lib/i18n/core";
import { GRID_DEVIATION } from "@/lib/map/colors";

/** Same bands and colours as the map's grid fill (lib/map/colors.ts), so table and map never disagree. */
export function deviationClass(pct: number): string {
  if (pct > GRID_DEVIATION.farOver) return "deviation-far-over";
  if (pct > GRID_DEVIATION.over) return "deviation-over";
  if (pct < GRID_DEVIATION.under) return "deviation-under";
  return "deviation-within";
}

export function formatDeviation(pct: number, locale: Locale): string {
  const value = formatNumber(pct, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${pct > 0 ? "+" : ""}${value}%`;
}
