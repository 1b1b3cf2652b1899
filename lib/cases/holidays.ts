/**
 * Mainland China public holidays and make-up working days (调休上班), per year.
 *
 * DEMO DATA — verify against the State Council notice
 * (国务院办公厅关于2026年部分节假日安排的通知) before relying on it in production.
 * The dates below were entered from memory of that notice; each year must be checked and, when the
 * notice for a new year is published, added here (or supplied through the calendar config).
 *
 * A year listed with empty arrays means "weekends only" (no holidays known yet). A year that is not
 * listed at all is refused by the calendar (see docs/cases.md, "Working calendar").
 */
import type { YearCalendar } from "./calendar";

function range(from: string, days: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

export const CN_MAINLAND_YEARS: Readonly<Record<number, YearCalendar>> = {
  2026: {
    holidays: [
      ...range("2026-01-01", 3), // 元旦 1月1日—3日
      ...range("2026-02-15", 9), // 春节 2月15日—23日
      ...range("2026-04-04", 3), // 清明节 4月4日—6日
      ...range("2026-05-01", 5), // 劳动节 5月1日—5日
      ...range("2026-06-19", 3), // 端午节 6月19日—21日
      ...range("2026-09-25", 3), // 中秋节 9月25日—27日
      ...range("2026-10-01", 7), // 国庆节 10月1日—7日
    ],
    makeUpWorkdays: [
      "2026-01-04", // 元旦调休 (周日上班)
      "2026-02-14", // 春节调休 (周六上班)
      "2026-02-28", // 春节调休 (周六上班)
      "2026-05-09", // 劳动节调休 (周六上班)
      "2026-09-20", // 国庆节调休 (周日上班)
      "2026-10-10", // 国庆节调休 (周六上班)
    ],
  },
  // Not yet published: weekends only until the 2027 notice is entered.
  2027: { holidays: [], makeUpWorkdays: [] },
};
