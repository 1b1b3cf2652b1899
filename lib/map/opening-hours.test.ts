import { describe, expect, it } from "vitest";
import { describeOpeningHours, isOpenAt, parseOpeningHours } from "./opening-hours";

/** A Nanjing wall-clock time (UTC+8, no DST). 2026-11-23 is a Monday. */
function nanjing(isoLocal: string): Date {
  return new Date(`${isoLocal}+08:00`);
}

describe("parseOpeningHours", () => {
  it("parses day ranges, several time ranges and off", () => {
    const schedule = parseOpeningHours("Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; Su off");
    expect(schedule?.[0]).toEqual([
      { start: 510, end: 720 },
      { start: 840, end: 1050 },
    ]);
    expect(schedule?.[4]).toHaveLength(2);
    expect(schedule?.[5]).toEqual([{ start: 540, end: 720 }]);
    expect(schedule?.[6]).toEqual([]);
  });

  it("parses comma day lists, wrapping day ranges and a bare time range for every day", () => {
    expect(parseOpeningHours("Mo,We,Fr 09:00-11:00")?.map((day) => day.length)).toEqual([1, 0, 1, 0, 1, 0, 0]);
    expect(parseOpeningHours("Fr-Mo 10:00-16:00")?.map((day) => day.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
    expect(parseOpeningHours("08:00-20:00")?.every((day) => day.length === 1)).toBe(true);
    expect(parseOpeningHours("24/7")?.[3]).toEqual([{ start: 0, end: 1440 }]);
  });

  it("lets a later rule override an earlier one and ignores public holiday rules", () => {
    const schedule = parseOpeningHours("Mo-Su 08:00-18:00; We off; PH off");
    expect(schedule?.[2]).toEqual([]);
    expect(schedule?.[3]).toEqual([{ start: 480, end: 1080 }]);
  });

  it("refuses what it does not understand", () => {
    expect(parseOpeningHours("")).toBeUndefined();
    expect(parseOpeningHours(null)).toBeUndefined();
    expect(parseOpeningHours("Jan-Mar Mo 08:00-12:00")).toBeUndefined();
    expect(parseOpeningHours("Mo-Fr 8-17")).toBeUndefined();
    expect(parseOpeningHours("Mo-Xx 08:00-12:00")).toBeUndefined();
    expect(parseOpeningHours("Mo 25:00-26:00")).toBeUndefined();
  });
});

describe("isOpenAt", () => {
  const hours = "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; Su off";

  it("is open inside a range and closed at the lunch break, the evening and on Sunday", () => {
    expect(isOpenAt(hours, nanjing("2026-11-23T09:00:00"))).toBe(true);
    expect(isOpenAt(hours, nanjing("2026-11-23T12:30:00"))).toBe(false);
    expect(isOpenAt(hours, nanjing("2026-11-23T17:30:00"))).toBe(false);
    expect(isOpenAt(hours, nanjing("2026-11-28T11:59:00"))).toBe(true);
    expect(isOpenAt(hours, nanjing("2026-11-29T10:00:00"))).toBe(false);
  });

  it("evaluates in Nanjing time whatever the instant's UTC day is", () => {
    // Monday 01:00 UTC is Monday 09:00 in Nanjing; Sunday 23:00 UTC is already Monday 07:00 there.
    expect(isOpenAt(hours, new Date("2026-11-23T01:00:00Z"))).toBe(true);
    expect(isOpenAt("Mo 06:00-08:00", new Date("2026-11-22T23:00:00Z"))).toBe(true);
  });

  it("carries a range past midnight into the next day", () => {
    const night = "Fr 18:00-02:00";
    expect(isOpenAt(night, nanjing("2026-11-27T23:00:00"))).toBe(true);
    expect(isOpenAt(night, nanjing("2026-11-28T01:30:00"))).toBe(true);
    expect(isOpenAt(night, nanjing("2026-11-28T02:30:00"))).toBe(false);
  });

  it("answers undefined for missing or unsupported hours", () => {
    expect(isOpenAt(null, new Date())).toBeUndefined();
    expect(isOpenAt("sunrise-sunset", new Date())).toBeUndefined();
  });
});

describe("describeOpeningHours", () => {
  it("writes the days in Chinese or English", () => {
    expect(describeOpeningHours("Mo-Fr 08:30-17:30; Sa 09:00-12:00; Su off", "zh-CN")).toBe(
      "周一至周五 08:30-17:30；周六 09:00-12:00；周日 休息",
    );
    expect(describeOpeningHours("Mo,We 09:00-11:00", "en")).toBe("Mon, Wed 09:00-11:00");
  });
});
