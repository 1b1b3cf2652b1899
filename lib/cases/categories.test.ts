import { describe, expect, it } from "vitest";
import { specialty } from "@/db/schema/teams";
import {
  categoryName,
  isCategoryCode,
  MAJOR_CATEGORIES,
  MINOR_CATEGORIES,
  MINOR_CODE_PATTERN,
  majorCategory,
  minorCategoriesOf,
  minorCategory,
  open311Service,
  open311Services,
  SPECIALTIES,
} from "./categories";

function must(code: string) {
  const c = minorCategory(code);
  if (!c) throw new Error(`no category ${code}`);
  return c;
}

describe("category table", () => {
  it("has unique, well-formed codes", () => {
    const majors = MAJOR_CATEGORIES.map((m) => m.code);
    expect(new Set(majors).size).toBe(majors.length);
    for (const code of majors) expect(code).toMatch(/^\d{2}$/);
    const minors = MINOR_CATEGORIES.map((m) => m.code);
    expect(new Set(minors).size).toBe(minors.length);
    for (const m of MINOR_CATEGORIES) {
      expect(m.code).toMatch(MINOR_CODE_PATTERN);
      expect(m.code.startsWith(m.majorCode)).toBe(true);
      expect(m.code.slice(2)).not.toBe("00");
      expect(majorCategory(m.majorCode)).toBeDefined();
    }
  });

  it("has about eight 大类 of 3–5 小类 each, including the community governance ones", () => {
    expect(MAJOR_CATEGORIES.length).toBeGreaterThanOrEqual(8);
    for (const major of MAJOR_CATEGORIES) {
      const n = minorCategoriesOf(major.code).length;
      expect(n, major.nameZh).toBeGreaterThanOrEqual(3);
      expect(n, major.nameZh).toBeLessThanOrEqual(5);
    }
    const names = MAJOR_CATEGORIES.map((m) => m.nameZh);
    for (const name of [
      "市容环境",
      "街面秩序",
      "施工管理",
      "突发事件",
      "公用设施",
      "矛盾纠纷",
      "民生诉求",
      "治安隐患",
      "物业管理",
    ]) {
      expect(names).toContain(name);
    }
    expect(majorCategory("05")?.kind).toBe("component");
  });

  it("uses only valid specialties, and each of the six at least once", () => {
    expect([...SPECIALTIES]).toEqual(specialty.enumValues);
    const used = new Set(MINOR_CATEGORIES.map((m) => m.specialty));
    for (const m of MINOR_CATEGORIES) expect(SPECIALTIES).toContain(m.specialty);
    expect(used.size).toBe(SPECIALTIES.length);
  });

  it("has positive whole limits and duplicate windows, and names in both languages", () => {
    for (const m of MINOR_CATEGORIES) {
      if (m.limit.unit !== "same_day") {
        expect(Number.isInteger(m.limit.value) && m.limit.value > 0, m.code).toBe(true);
      }
      expect(m.duplicate.radiusM, m.code).toBeGreaterThan(0);
      expect(m.duplicate.radiusM, m.code).toBeLessThanOrEqual(500);
      expect(m.duplicate.windowH, m.code).toBeGreaterThan(0);
      expect(m.nameZh.trim(), m.code).not.toBe("");
      expect(m.nameEn.trim(), m.code).not.toBe("");
      expect(m.keywords.length, m.code).toBeGreaterThan(0);
      for (const k of m.keywords) expect(k, m.code).not.toMatch(/,/);
    }
    const units = new Set(MINOR_CATEGORIES.map((m) => m.limit.unit));
    expect([...units].sort()).toEqual(["same_day", "working_days", "working_hours"]);
  });
});

describe("lookup", () => {
  it("finds a 小类 by code and refuses unknown ones", () => {
    expect(minorCategory("0201")).toMatchObject({ nameZh: "占道经营", majorCode: "02", specialty: "law_enforcement" });
    expect(minorCategory("0101")?.limit).toEqual({ unit: "same_day" });
    expect(minorCategory("9999")).toBeUndefined();
    expect(minorCategory("02")).toBeUndefined();
    expect(isCategoryCode("0601")).toBe(true);
    expect(isCategoryCode("601")).toBe(false);
    expect(isCategoryCode(601)).toBe(false);
    expect(categoryName(must("0601"), "en")).toBe("Neighbour dispute");
  });
});

describe("Open311 services", () => {
  it("maps each 小类 to a realtime service whose code is the 小类 code and group the 大类", () => {
    const services = open311Services();
    expect(services).toHaveLength(MINOR_CATEGORIES.length);
    const lamp = services.find((s) => s.service_code === "0502");
    expect(lamp).toEqual({
      service_code: "0502",
      service_name: "路灯不亮",
      description: "公用设施 / 路灯不亮",
      metadata: false,
      type: "realtime",
      keywords: "路灯,照明",
      group: "公用设施",
    });
    const en = open311Service(must("0502"), "en");
    expect(en.service_name).toBe("Street light out");
    expect(en.group).toBe("Public facilities");
  });
});
