import { describe, expect, it } from "vitest";
import { DEFAULT_LEVELS, estimateHouseholds, parseFirstNumber, resolveLevels } from "./osm-rules";

describe("household estimate", () => {
  it("gives about 50 households for a 6-storey block with a 1,000 m² footprint", () => {
    expect(estimateHouseholds(1000, 6, true)).toBe(50);
  });

  it("is zero for non-residential buildings and at least one for a tiny home", () => {
    expect(estimateHouseholds(5000, 10, false)).toBe(0);
    expect(estimateHouseholds(20, 1, true)).toBe(1);
  });

  it("scales with floors: an 18-storey 600 m² tower holds about 90 households", () => {
    expect(estimateHouseholds(600, 18, true)).toBe(90);
  });
});

describe("levels", () => {
  it("prefers building:levels, then height / 3, then the type default", () => {
    expect(resolveLevels({ buildingType: "yes", levelsTag: "12", heightTag: "60" })).toMatchObject({
      levels: 12,
      source: "tagged",
    });
    expect(resolveLevels({ buildingType: "yes", heightTag: "31 m" })).toMatchObject({ levels: 10, source: "height" });
    expect(resolveLevels({ buildingType: "apartments" })).toMatchObject({ levels: 6, source: "default" });
    expect(resolveLevels({ buildingType: "house" }).levels).toBe(2);
    expect(resolveLevels({ buildingType: "something_new" }).levels).toBe(3);
  });

  it("reads the first number of messy values", () => {
    expect(parseFirstNumber("6;7")).toBe(6);
    expect(parseFirstNumber("5.5")).toBe(5.5);
    expect(parseFirstNumber("many")).toBeNull();
    expect(DEFAULT_LEVELS.yes).toBe(5);
  });
});
