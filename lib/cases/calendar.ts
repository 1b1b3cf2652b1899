/**
 * Working calendar and deadline arithmetic for case handling limits (处置时限).
 *
 * Instants are JS `Date`s (absolute UTC time). Every notion of "day", "weekend" or "08:30" is taken in
 * Asia/Shanghai, computed with a fixed UTC+8 offset (China has had no daylight saving time since 1991), so the
 * results never depend on the server's `TZ`. Pure: no database, no I/O. See docs/cases.md, "Working calendar".
 */
import { CN_MAINLAND_YEARS } from "./holidays";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year round. */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** Upper bounds that keep every loop finite and refuse absurd limits. */
export const MAX_WORKING_HOURS = 20_000;
export const MAX_WORKING_DAYS = 2_000;
/** More consecutive non-working days than this means the calendar data is wrong. */
const MAX_NON_WORKING_RUN = 60;

export interface WorkingPeriod {
  /** "HH:MM", Asia/Shanghai wall-clock time. */
  start: string;
  /** "HH:MM" (may be "24:00"), exclusive end. */
  end: string;
}

export interface YearCalendar {
  /** ISO dates (YYYY-MM-DD) that are days off, including holiday days falling on weekends. */
  holidays: readonly string[];
  /** ISO dates of weekend days that are working days (调休上班). */
  makeUpWorkdays: readonly string[];
}

export interface WorkingCalendarConfig {
  /** Working periods of every working day, in order. Default 08:30–12:00 and 13:30–17:30. */
  periods?: readonly WorkingPeriod[];
  /** Per-year holidays and make-up days. A year not listed here is handled according to `unknownYear`. */
  years: Readonly<Record<number, YearCalendar>>;
  /**
   * What to do with a date whose year is not in `years`: "refuse" (default) throws a CalendarError, because a
   * deadline computed without the year's holidays could be days early; "weekends-only" treats Monday–Friday as
   * working days.
   */
  unknownYear?: "refuse" | "weekends-only";
}

export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = [
  { start: "08:30", end: "12:00" },
  { start: "13:30", end: "17:30" },
];

/** Invalid calendar configuration, invalid argument, or a date outside the configured years. */
export class CalendarError extends Error {
  constructor(
    message: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = "CalendarError";
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^(\d{2}):(\d{2})$/;

/** Day number (days since 1970-01-01) of an ISO date, or null when the string is not a real calendar date. */
function parseIsoDate(s: string): number | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== s) return null;
  return ms / DAY_MS;
}

function parseMinutes(s: string, what: string): number {
  const m = typeof s === "string" ? HH_MM.exec(s) : null;
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new CalendarError(`${what} "${String(s)}" is not a time of day HH:MM between 00:00 and 24:00`, s);
  }
  return minutes;
}

/** Shanghai day number of an instant. */
function dayOf(t: number): number {
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** UTC instant of 00:00 Asia/Shanghai on a day number. */
function dayStart(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function instant(value: Date, what: string): number {
  const t = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new CalendarError(`${what} is not a valid Date`, value);
  return t;
}

export class WorkingCalendar {
  /** Periods as [startMinute, endMinute) within the day. */
  private readonly periods: ReadonlyArray<readonly [number, number]>;
  private readonly holidays = new Set<number>();
  private readonly makeUp = new Set<number>();
  private readonly years: ReadonlySet<number>;
  private readonly unknownYear: "refuse" | "weekends-only";
  /** Working milliseconds in one full working day. */
  readonly msPerWorkingDay: number;

  constructor(config: WorkingCalendarConfig) {
    if (config === null || typeof config !== "object") throw new CalendarError("calendar config must be an object");
    const unknownYear = config.unknownYear ?? "refuse";
    if (unknownYear !== "refuse" && unknownYear !== "weekends-only") {
      throw new CalendarError(`unknownYear "${String(unknownYear)}" must be "refuse" or "weekends-only"`, unknownYear);
    }
    this.unknownYear = unknownYear;
    this.periods = validatePeriods(config.periods ?? DEFAULT_WORKING_PERIODS);
    this.msPerWorkingDay = this.periods.reduce((sum, [s, e]) => sum + (e - s) * MINUTE_MS, 0);

    const years = new Set<number>();
    for (const [key, year] of Object.entries(config.years ?? {})) {
      const y = Number(key);
      if (!/^\d{4}$/.test(key)) throw new CalendarError(`calendar year "${key}" is not a four-digit year`, key);
      if (!year || !Array.isArray(year.holidays) || !Array.isArray(year.makeUpWorkdays)) {
        throw new CalendarError(`calendar year ${key} needs "holidays" and "makeUpWorkdays" arrays`, year);
      }
      years.add(y);
      for (const [list, target, label] of [
        [year.holidays, this.holidays, "holiday"],
        [year.makeUpWorkdays, this.makeUp, "make-up working day"],
      ] as const) {
        for (const iso of list) {
          const day = typeof iso === "string" ? parseIsoDate(iso) : null;
          if (day === null)
            throw new CalendarError(`${label} "${String(iso)}" in ${key} is not a valid YYYY-MM-DD date`, iso);
          if (!iso.startsWith(`${key}-`)) throw new CalendarError(`${label} ${iso} is listed under year ${key}`, iso);
          if (target.has(day)) throw new CalendarError(`${label} ${iso} is listed twice`, iso);
          target.add(day);
        }
      }
      for (const iso of year.makeUpWorkdays) {
        const day = parseIsoDate(iso) as number;
        if (this.holidays.has(day)) {
          throw new CalendarError(`${iso} is listed both as a holiday and as a make-up working day`, iso);
        }
        const wd = weekdayOf(day);
        if (wd !== 0 && wd !== 6) {
          throw new CalendarError(
            `make-up working day ${iso} is not a Saturday or Sunday (already a working day)`,
            iso,
          );
        }
      }
    }
    this.years = years;
  }

  /** Whether a day is a working day. Accepts an instant (its Asia/Shanghai date) or an ISO date "YYYY-MM-DD". */
  isWorkingDay(date: Date | string): boolean {
    let day: number | null;
    if (typeof date === "string") {
      day = parseIsoDate(date);
      if (day === null) throw new CalendarError(`"${date}" is not a valid YYYY-MM-DD date`, date);
    } else {
      day = dayOf(instant(date, "date"));
    }
    return this.isWorkingDayNumber(day);
  }

  /** The instant itself if it lies inside a working period, otherwise the start of the next working period. */
  nextWorkingInstant(t: Date): Date {
    const at = instant(t, "t");
    let day = dayOf(at);
    for (let run = 0; run <= MAX_NON_WORKING_RUN; run++, day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      for (const [ps, pe] of this.intervals(day)) {
        if (at < pe) return new Date(Math.max(at, ps));
      }
    }
    throw this.noWorkingDay(day);
  }

  /**
   * The instant at which `hours` working hours have elapsed from `start`. Only time inside working periods counts.
   * A result that falls exactly on the end of a period is that end (e.g. 17:30), not the next morning.
   */
  addWorkingHours(start: Date, hours: number): Date {
    const from = instant(start, "start");
    if (typeof hours !== "number" || !Number.isFinite(hours) || hours <= 0 || hours > MAX_WORKING_HOURS) {
      throw new CalendarError(`hours ${String(hours)} must be a number > 0 and ≤ ${MAX_WORKING_HOURS}`, hours);
    }
    let remaining = Math.round(hours * HOUR_MS);
    if (remaining <= 0) throw new CalendarError(`hours ${hours} is less than one millisecond`, hours);
    let day = dayOf(from);
    for (let run = 0; ; day++) {
      if (!this.isWorkingDayNumber(day)) {
        if (++run > MAX_NON_WORKING_RUN) throw this.noWorkingDay(day);
        continue;
      }
      run = 0;
      for (const [ps, pe] of this.intervals(day)) {
        const s = Math.max(ps, from);
        if (s >= pe) continue;
        if (remaining <= pe - s) return new Date(s + remaining);
        remaining -= pe - s;
      }
    }
  }

  /**
   * Due at the end of the last working period of the Nth working day strictly after the start's Asia/Shanghai
   * calendar day, whatever the time of day and whether or not that day is itself a working day.
   * Friday 10:00 + 1 → Monday 17:30; Saturday + 1 → Monday 17:30.
   */
  addWorkingDays(start: Date, days: number): Date {
    const from = instant(start, "start");
    if (!Number.isInteger(days) || days <= 0 || days > MAX_WORKING_DAYS) {
      throw new CalendarError(`days ${String(days)} must be a whole number ≥ 1 and ≤ ${MAX_WORKING_DAYS}`, days);
    }
    let day = dayOf(from);
    for (let left = days; left > 0; ) {
      day = this.nextWorkingDayAfter(day);
      left--;
    }
    return new Date(this.endOfDay(day));
  }

  /**
   * 当日事当日清: due at the end of the last working period of the start's day when that is a working day and the
   * start is before that end (including before 08:30 and during the lunch break); otherwise (after hours, weekend,
   * holiday) at the end of the next working day.
   */
  endOfWorkingDay(start: Date): Date {
    const from = instant(start, "start");
    const day = dayOf(from);
    if (this.isWorkingDayNumber(day) && from < this.endOfDay(day)) return new Date(this.endOfDay(day));
    return new Date(this.endOfDay(this.nextWorkingDayAfter(day)));
  }

  /**
   * Working milliseconds in [a, b). Negative (the opposite amount) when b is before a, so
   * `workingMsBetween(deadline, now) > 0` means overdue by that much working time.
   */
  workingMsBetween(a: Date, b: Date): number {
    const ta = instant(a, "a");
    const tb = instant(b, "b");
    if (tb < ta) return -this.workingMsBetween(b, a);
    let total = 0;
    const last = dayOf(tb);
    for (let day = dayOf(ta); day <= last; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      for (const [ps, pe] of this.intervals(day)) {
        const s = Math.max(ps, ta);
        const e = Math.min(pe, tb);
        if (e > s) total += e - s;
      }
    }
    return total;
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.holidays.has(day)) return false;
    if (this.makeUp.has(day)) return true;
    const year = Number(isoOfDay(day).slice(0, 4));
    if (!this.years.has(year) && this.unknownYear === "refuse") {
      throw new CalendarError(
        `no working-calendar data for ${year} (date ${isoOfDay(day)}); add the year's holidays and make-up days`,
        year,
      );
    }
    const wd = weekdayOf(day);
    return wd !== 0 && wd !== 6;
  }

  private nextWorkingDayAfter(day: number): number {
    for (let d = day + 1; d <= day + MAX_NON_WORKING_RUN + 1; d++) {
      if (this.isWorkingDayNumber(d)) return d;
    }
    throw this.noWorkingDay(day);
  }

  private intervals(day: number): Array<[number, number]> {
    const base = dayStart(day);
    return this.periods.map(([s, e]) => [base + s * MINUTE_MS, base + e * MINUTE_MS]);
  }

  private endOfDay(day: number): number {
    return dayStart(day) + (this.periods[this.periods.length - 1] as readonly [number, number])[1] * MINUTE_MS;
  }

  private noWorkingDay(day: number): CalendarError {
    return new CalendarError(
      `no working day within ${MAX_NON_WORKING_RUN} days of ${isoOfDay(day)}; check the holiday data`,
      isoOfDay(day),
    );
  }
}

function validatePeriods(periods: readonly WorkingPeriod[]): Array<readonly [number, number]> {
  if (!Array.isArray(periods) || periods.length === 0) {
    throw new CalendarError("working periods must be a non-empty array", periods);
  }
  const out: Array<readonly [number, number]> = [];
  for (const p of periods) {
    const s = parseMinutes(p?.start, "period start");
    const e = parseMinutes(p?.end, "period end");
    if (s >= e) throw new CalendarError(`period ${p.start}–${p.end} ends before it starts`, p);
    const prev = periods[out.length - 1];
    if (prev && s < (out[out.length - 1] as readonly [number, number])[1]) {
      throw new CalendarError(`period ${p.start}–${p.end} overlaps or precedes period ${prev.start}–${prev.end}`, p);
    }
    out.push([s, e]);
  }
  return out;
}

/** A calendar from config; throws CalendarError naming the offending value when the config is invalid. */
export function createWorkingCalendar(config: WorkingCalendarConfig): WorkingCalendar {
  return new WorkingCalendar(config);
}

/** The mainland China calendar from lib/cases/holidays.ts (demo data, see there) with the default periods. */
export function chinaMainlandCalendar(periods?: readonly WorkingPeriod[]): WorkingCalendar {
  return new WorkingCalendar({ periods, years: CN_MAINLAND_YEARS });
}
