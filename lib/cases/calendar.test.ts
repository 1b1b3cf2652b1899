import { afterEach, describe, expect, it } from "vitest";
import { CalendarError, chinaMainlandCalendar, createWorkingCalendar, type WorkingCalendar } from "./calendar";
import { CN_MAINLAND_YEARS } from "./holidays";

/** Asia/Shanghai wall-clock time → instant, with an explicit +08:00 offset. */
const sh = (local: string) => new Date(`${local}:00+08:00`);
/** Instant → Asia/Shanghai wall-clock "YYYY-MM-DDTHH:MM", computed with an explicit offset. */
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

const cal = chinaMainlandCalendar();
const H = 3_600_000;

describe("holiday data (demo, 2026)", () => {
  it("make-up days are weekend days and holidays include the 7 festivals", () => {
    const y = CN_MAINLAND_YEARS[2026];
    expect(y?.holidays).toHaveLength(33);
    expect(y?.holidays).toContain("2026-02-17"); // 春节
    expect(y?.makeUpWorkdays).toEqual([
      "2026-01-04",
      "2026-02-14",
      "2026-02-28",
      "2026-05-09",
      "2026-09-20",
      "2026-10-10",
    ]);
  });
});

describe("isWorkingDay", () => {
  it("weekdays work, weekends and holidays do not, make-up weekend days do", () => {
    expect(cal.isWorkingDay("2026-03-02")).toBe(true); // Monday
    expect(cal.isWorkingDay("2026-03-07")).toBe(false); // Saturday
    expect(cal.isWorkingDay("2026-10-05")).toBe(false); // Monday, National Day
    expect(cal.isWorkingDay("2026-02-14")).toBe(true); // Saturday, 春节调休
    expect(cal.isWorkingDay("2026-09-20")).toBe(true); // Sunday, 国庆调休
  });

  it("uses the Asia/Shanghai date of an instant", () => {
    // 2026-03-06T16:30Z is Saturday 00:30 in Shanghai.
    expect(cal.isWorkingDay(new Date("2026-03-06T16:30:00Z"))).toBe(false);
    expect(cal.isWorkingDay(new Date("2026-03-06T15:59:00Z"))).toBe(true);
  });

  it("2027 is listed empty (weekends only); a year not listed is refused", () => {
    expect(cal.isWorkingDay("2027-10-01")).toBe(true); // Friday; holidays not yet entered
    expect(() => cal.isWorkingDay("2028-03-01")).toThrow(/no working-calendar data for 2028/);
    expect(() => cal.isWorkingDay("2026-02-30")).toThrow(/"2026-02-30" is not a valid/);
    const lenient = createWorkingCalendar({ years: {}, unknownYear: "weekends-only" });
    expect(lenient.isWorkingDay("2028-03-01")).toBe(true);
    expect(lenient.isWorkingDay("2028-03-04")).toBe(false);
  });
});

describe("nextWorkingInstant", () => {
  it.each([
    ["2026-03-02T07:00", "2026-03-02T08:30"], // before 08:30
    ["2026-03-02T08:30", "2026-03-02T08:30"], // exactly at start
    ["2026-03-02T10:00", "2026-03-02T10:00"], // inside
    ["2026-03-02T12:00", "2026-03-02T13:30"], // lunch starts exactly at 12:00
    ["2026-03-02T17:30", "2026-03-03T08:30"], // end of day is not working time
    ["2026-03-06T18:00", "2026-03-09T08:30"], // Friday evening → Monday
    ["2026-09-30T18:00", "2026-10-08T08:30"], // National Day week
    ["2026-02-13T18:00", "2026-02-14T08:30"], // Friday → make-up Saturday
  ])("%s → %s", (from, to) => {
    expect(local(cal.nextWorkingInstant(sh(from)))).toBe(to);
  });
});

describe("addWorkingHours", () => {
  it.each([
    ["2026-03-02T08:30", 1, "2026-03-02T09:30"],
    ["2026-03-02T11:00", 1, "2026-03-02T12:00"], // lands exactly on 12:00
    ["2026-03-02T11:00", 2, "2026-03-02T14:30"], // skips lunch
    ["2026-03-02T12:00", 1, "2026-03-02T14:30"], // start exactly at 12:00
    ["2026-03-02T07:00", 7.5, "2026-03-02T17:30"], // before 08:30, a full day ends at 17:30 not next morning
    ["2026-03-02T17:30", 1, "2026-03-03T09:30"], // start exactly at 17:30
    ["2026-03-06T16:30", 2, "2026-03-09T09:30"], // across a weekend
    ["2026-03-02T08:30", 15, "2026-03-03T17:30"], // multi-day: two full days
    ["2026-03-02T10:00", 16, "2026-03-04T11:00"], // multi-day with remainder
    ["2026-09-30T16:00", 4, "2026-10-08T11:00"], // across National Day holiday week
    ["2026-02-13T17:00", 1, "2026-02-14T09:00"], // into the make-up Saturday
    ["2026-12-31T17:00", 1, "2027-01-01T09:00"], // into 2027 (weekends only)
  ])("%s + %sh → %s", (from, hours, to) => {
    expect(local(cal.addWorkingHours(sh(from), hours as number))).toBe(to);
  });

  it("refuses zero, negative, NaN, infinite and invalid dates", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e9]) {
      expect(() => cal.addWorkingHours(sh("2026-03-02T09:00"), bad)).toThrow(CalendarError);
    }
    expect(() => cal.addWorkingHours(new Date("nope"), 1)).toThrow(/start is not a valid Date/);
  });

  it("refuses to run into a year without calendar data", () => {
    expect(() => cal.addWorkingHours(sh("2027-12-31T17:00"), 1)).toThrow(/no working-calendar data for 2028/);
  });
});

describe("addWorkingDays", () => {
  it.each([
    ["2026-03-02T10:00", 1, "2026-03-03T17:30"], // Monday → Tuesday end
    ["2026-03-06T10:00", 1, "2026-03-09T17:30"], // Friday → Monday
    ["2026-03-07T10:00", 1, "2026-03-09T17:30"], // Saturday → Monday
    ["2026-03-02T20:00", 1, "2026-03-03T17:30"], // after hours counts from the start's calendar day
    ["2026-03-02T07:00", 3, "2026-03-05T17:30"],
    ["2026-09-29T10:00", 2, "2026-10-08T17:30"], // Sept 30, then Oct 8
    ["2026-02-12T10:00", 2, "2026-02-14T17:30"], // Feb 13 (Fri), then the make-up Saturday
    ["2026-02-12T10:00", 3, "2026-02-24T17:30"], // then the Spring Festival week off
  ])("%s + %sd → %s", (from, days, to) => {
    expect(local(cal.addWorkingDays(sh(from), days as number))).toBe(to);
  });

  it("refuses non-positive and fractional days", () => {
    for (const bad of [0, -2, 1.5, Number.NaN]) {
      expect(() => cal.addWorkingDays(sh("2026-03-02T09:00"), bad)).toThrow(/whole number ≥ 1/);
    }
  });
});

describe("endOfWorkingDay (当日事当日清)", () => {
  it.each([
    ["2026-03-02T07:00", "2026-03-02T17:30"], // before 08:30: same day
    ["2026-03-02T12:30", "2026-03-02T17:30"], // lunch break: same day
    ["2026-03-02T17:29", "2026-03-02T17:30"],
    ["2026-03-02T17:30", "2026-03-03T17:30"], // exactly at close: next working day
    ["2026-03-06T19:00", "2026-03-09T17:30"], // Friday evening → Monday
    ["2026-10-03T10:00", "2026-10-08T17:30"], // holiday → first day back
    ["2026-02-28T09:00", "2026-02-28T17:30"], // make-up Saturday is a working day
  ])("%s → %s", (from, to) => {
    expect(local(cal.endOfWorkingDay(sh(from)))).toBe(to);
  });
});

describe("workingMsBetween", () => {
  it("counts only working periods and is antisymmetric", () => {
    expect(cal.workingMsBetween(sh("2026-03-02T00:00"), sh("2026-03-03T00:00"))).toBe(7.5 * H);
    expect(cal.workingMsBetween(sh("2026-03-06T17:00"), sh("2026-03-09T09:00"))).toBe(H);
    expect(cal.workingMsBetween(sh("2026-09-30T00:00"), sh("2026-10-09T00:00"))).toBe(2 * 7.5 * H);
    expect(cal.workingMsBetween(sh("2026-03-09T09:00"), sh("2026-03-06T17:00"))).toBe(-H);
    expect(cal.workingMsBetween(sh("2026-03-02T12:00"), sh("2026-03-02T13:30"))).toBe(0);
  });

  it("is consistent with addWorkingHours over many seeded random starts", () => {
    let seed = 20260101;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const year0 = Date.parse("2026-01-01T00:00:00+08:00");
    for (let i = 0; i < 500; i++) {
      const start = new Date(year0 + Math.floor(rand() * 360 * 24 * 60) * 60_000);
      const hours = Math.ceil(rand() * 4 * 60 * 15) / 60; // up to 60 h, whole minutes
      const due = cal.addWorkingHours(start, hours);
      expect(cal.workingMsBetween(start, due)).toBe(Math.round(hours * H));
      expect(cal.workingMsBetween(start, new Date(due.getTime() - 1))).toBe(Math.round(hours * H) - 1);
      expect(cal.workingMsBetween(due, start)).toBe(-Math.round(hours * H));
      const next = cal.nextWorkingInstant(start);
      expect(cal.workingMsBetween(start, next)).toBe(0);
      expect(cal.isWorkingDay(next)).toBe(true);
    }
  });
});

describe("server time zone independence", () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  function snapshot(c: WorkingCalendar): string[] {
    const s = sh("2026-03-06T16:30");
    return [
      c.addWorkingHours(s, 3).toISOString(),
      c.addWorkingDays(s, 2).toISOString(),
      c.endOfWorkingDay(sh("2026-03-06T23:30")).toISOString(),
      c.nextWorkingInstant(s).toISOString(),
      String(c.isWorkingDay(new Date("2026-03-06T16:30:00Z"))),
      String(c.workingMsBetween(s, sh("2026-03-10T10:00"))),
    ];
  }

  it("gives identical results under UTC, Los Angeles and Kiritimati", () => {
    const results = ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"].map((tz) => {
      process.env.TZ = tz;
      return snapshot(chinaMainlandCalendar());
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(results[0]).toEqual([
      "2026-03-09T02:30:00.000Z", // Monday 10:30 Shanghai
      "2026-03-10T09:30:00.000Z", // Tuesday 17:30 Shanghai
      "2026-03-09T09:30:00.000Z",
      "2026-03-06T08:30:00.000Z",
      "false",
      String((1 + 7.5 + 1.5) * H),
    ]);
  });
});

describe("configuration validation", () => {
  const years = { 2026: { holidays: [], makeUpWorkdays: [] } };
  it.each([
    [
      { years: { 2026: { holidays: ["2026-13-01"], makeUpWorkdays: [] } } },
      /holiday "2026-13-01" in 2026 is not a valid/,
    ],
    [{ years: { 2026: { holidays: ["2026-2-1"], makeUpWorkdays: [] } } }, /"2026-2-1"/],
    [{ years: { 2026: { holidays: ["2027-01-01"], makeUpWorkdays: [] } } }, /2027-01-01 is listed under year 2026/],
    [
      { years: { 2026: { holidays: ["2026-02-14"], makeUpWorkdays: ["2026-02-14"] } } },
      /2026-02-14 is listed both as a holiday and as a make-up working day/,
    ],
    [{ years: { 2026: { holidays: [], makeUpWorkdays: ["2026-03-02"] } } }, /2026-03-02 is not a Saturday or Sunday/],
    [{ years: { 2026: { holidays: ["2026-05-01", "2026-05-01"], makeUpWorkdays: [] } } }, /2026-05-01 is listed twice/],
    [{ years: { 26: { holidays: [], makeUpWorkdays: [] } } }, /year "26"/],
    [{ years, periods: [] }, /non-empty/],
    [{ years, periods: [{ start: "8:30", end: "12:00" }] }, /period start "8:30"/],
    [{ years, periods: [{ start: "08:30", end: "24:30" }] }, /period end "24:30"/],
    [{ years, periods: [{ start: "12:00", end: "08:30" }] }, /12:00–08:30 ends before it starts/],
    [
      {
        years,
        periods: [
          { start: "08:30", end: "12:00" },
          { start: "11:00", end: "17:30" },
        ],
      },
      /11:00–17:30 overlaps or precedes period 08:30–12:00/,
    ],
    [
      {
        years,
        periods: [
          { start: "13:30", end: "17:30" },
          { start: "08:30", end: "12:00" },
        ],
      },
      /08:30–12:00 overlaps or precedes/,
    ],
    [{ years, unknownYear: "guess" }, /unknownYear "guess"/],
  ])("refuses %j", (config, message) => {
    expect(() => createWorkingCalendar(config as never)).toThrow(message);
  });

  it("accepts custom periods", () => {
    const c = createWorkingCalendar({
      years,
      periods: [
        { start: "09:00", end: "12:00" },
        { start: "14:00", end: "18:00" },
      ],
    });
    expect(c.msPerWorkingDay).toBe(7 * H);
    expect(local(c.addWorkingHours(sh("2026-03-02T11:00"), 2))).toBe("2026-03-02T15:00");
    expect(local(c.endOfWorkingDay(sh("2026-03-02T17:45")))).toBe("2026-03-02T18:00");
  });
});
