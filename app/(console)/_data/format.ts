import { formatNumber, type Locale } from "@/lib/i18n/core";

/** ±20% of target is the tolerance for a grid's households (docs/data.md). */
export function deviationClass(pct: number): string {
  if (pct > 20) return "deviation-high";
  if (pct < -20) return "deviation-low";
  return "deviation-ok";
}

export function formatDeviation(pct: number, locale: Locale): string {
  const value = formatNumber(pct, locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${pct > 0 ? "+" : ""}${value}%`;
}
