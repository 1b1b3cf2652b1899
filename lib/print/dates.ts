/** Calendar dates of the console: China Standard Time (Asia/Shanghai, UTC+8, no daylight saving). */
export const CONSOLE_TIME_ZONE = "Asia/Shanghai";

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function shanghaiDate(instant: Date | string): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: CONSOLE_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** A date and time in Asia/Shanghai for labels, e.g. 2026-11-22 09:05. */
export function shanghaiDateTime(instant: Date | string): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: CONSOLE_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
  return `${shanghaiDate(date)} ${parts}`;
}
