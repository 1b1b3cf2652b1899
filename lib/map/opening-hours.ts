/**
 * A small parser for the OSM `opening_hours` subset used by service stations:
 * `Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; Su off`, `24/7`, day ranges that wrap (`Fr-Mo`), comma lists,
 * several time ranges, ranges past midnight (`18:00-02:00`) and `off`/`closed`. Later rules override earlier ones for
 * the days they name, as in OSM. `PH …` rules are ignored; anything else (months, week numbers…) is unsupported.
 */

export const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes since midnight; `end` may exceed 1440 when a range runs past midnight. */
export type TimeRange = { start: number; end: number };

/** Opening ranges per weekday, Monday first. An empty list means closed that day. */
export type WeekSchedule = readonly (readonly TimeRange[])[];

const TIME = /^(\d{1,2}):(\d{2})$/;

function parseTime(text: string, allow24: boolean): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && (minutes > 0 || !allow24))) return undefined;
  return hours * 60 + minutes;
}

function parseTimeRanges(text: string): TimeRange[] | undefined {
  const ranges: TimeRange[] = [];
  for (const part of text.split(",")) {
    const [startText, endText, extra] = part.trim().split("-");
    if (startText === undefined || endText === undefined || extra !== undefined) return undefined;
    const start = parseTime(startText.trim(), false);
    const end = parseTime(endText.trim(), true);
    if (start === undefined || end === undefined) return undefined;
    // An end at or before the start runs into the next day (22:00-02:00).
    ranges.push({ start, end: end <= start ? end + 24 * 60 : end });
  }
  return ranges;
}

function parseDays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const [fromText, toText, extra] = part.trim().split("-");
    if (fromText === undefined || extra !== undefined) return undefined;
    const from = WEEKDAYS.indexOf(fromText as Weekday);
    if (from < 0) return undefined;
    if (toText === undefined) {
      days.add(from);
      continue;
    }
    const to = WEEKDAYS.indexOf(toText as Weekday);
    if (to < 0) return undefined;
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  return [...days];
}

/** The week's schedule, or undefined when the string uses syntax outside the supported subset. */
export function parseOpeningHours(text: string | null | undefined): WeekSchedule | undefined {
  if (!text) return undefined;
  const schedule: TimeRange[][] = WEEKDAYS.map(() => []);
  const rules = text
    .split(";")
    .map((rule) => rule.trim())
    .filter((rule) => rule.length > 0);
  if (rules.length === 0) return undefined;
  for (const rule of rules) {
    if (rule === "24/7") {
      for (let day = 0; day < 7; day++) schedule[day] = [{ start: 0, end: 24 * 60 }];
      continue;
    }
    // Public holidays can't be known offline; such rules are ignored.
    if (/^PH\b/.test(rule)) continue;
    // "<days> <times|off>", "<times>" (every day) or "<days>" alone (open all day, rare).
    const match = /^((?:[A-Z][a-z](?:\s*-\s*[A-Z][a-z])?\s*,\s*)*[A-Z][a-z](?:\s*-\s*[A-Z][a-z])?)?\s*(.*)$/.exec(rule);
    if (!match) return undefined;
    const daysText = match[1]?.replace(/\s+/g, "");
    const rest = (match[2] ?? "").trim();
    const days = daysText ? parseDays(daysText) : [0, 1, 2, 3, 4, 5, 6];
    if (!days) return undefined;
    let ranges: TimeRange[];
    if (rest === "off" || rest === "closed") ranges = [];
    else if (rest === "") ranges = daysText ? [{ start: 0, end: 24 * 60 }] : [];
    else {
      const parsed = parseTimeRanges(rest);
      if (!parsed) return undefined;
      ranges = parsed;
    }
    for (const day of days) schedule[day] = ranges;
  }
  return schedule;
}

/** Weekday (0 = Monday) and minutes since midnight of an instant in a time zone. */
export function localWeekTime(date: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  const day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday"));
  return { day, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

/**
 * Whether a place with these opening hours is open at `date` (evaluated in `timeZone`, Nanjing by default);
 * undefined when the hours are missing or unsupported, so the UI can say "unknown" instead of guessing.
 */
export function isOpenAt(
  hours: string | WeekSchedule | null | undefined,
  date: Date,
  timeZone = "Asia/Shanghai",
): boolean | undefined {
  const schedule = typeof hours === "string" || hours == null ? parseOpeningHours(hours) : hours;
  if (!schedule) return undefined;
  const { day, minutes } = localWeekTime(date, timeZone);
  const today = schedule[day] ?? [];
  if (today.some((range) => range.start <= minutes && minutes < range.end)) return true;
  const yesterday = schedule[(day + 6) % 7] ?? [];
  return yesterday.some((range) => range.end > 24 * 60 && minutes < range.end - 24 * 60);
}

const DAY_NAMES: Record<"zh-CN" | "en", readonly string[]> = {
  "zh-CN": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
  en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
};

/** The opening-hours string with day codes in the UI language (`Mo-Fr` → `周一至周五`); other text kept as is. */
export function describeOpeningHours(text: string, locale: "zh-CN" | "en"): string {
  const names = DAY_NAMES[locale];
  const name = (code: string) => names[WEEKDAYS.indexOf(code as Weekday)] ?? code;
  const rules = text.split(";").map((rule) =>
    rule
      .trim()
      .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\s*-\s*(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (_whole, from: string, to: string) =>
        locale === "zh-CN" ? `${name(from)}至${name(to)}` : `${name(from)}–${name(to)}`,
      )
      .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (code: string) => name(code))
      .replace(/\b(off|closed)\b/g, locale === "zh-CN" ? "休息" : "closed")
      .replace("24/7", locale === "zh-CN" ? "全天开放" : "24/7")
      .replace(/,/g, locale === "zh-CN" ? "、" : ", "),
  );
  return rules.filter((rule) => rule.length > 0).join(locale === "zh-CN" ? "；" : "; ");
}
