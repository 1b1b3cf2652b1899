import { describe, expect, it } from "vitest";
import { shanghaiDate, shanghaiDateTime } from "./dates";

describe("shanghaiDate", () => {
  it("is the calendar date at UTC+8", () => {
    expect(shanghaiDate(new Date("2026-11-21T15:59:59Z"))).toBe("2026-11-21");
    expect(shanghaiDate(new Date("2026-11-21T16:00:00Z"))).toBe("2026-11-22");
    expect(shanghaiDate("2026-01-01T00:00:00+08:00")).toBe("2026-01-01");
  });
  it("adds hours and minutes for labels", () => {
    expect(shanghaiDateTime("2026-11-22T01:05:00Z")).toBe("2026-11-22 09:05");
  });
});
