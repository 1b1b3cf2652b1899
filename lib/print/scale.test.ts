import { describe, expect, it } from "vitest";
import { metersPerPixel, niceScale } from "./scale";

describe("metersPerPixel", () => {
  it("matches Web Mercator at the equator and shrinks with latitude", () => {
    expect(metersPerPixel(0, 0)).toBeCloseTo(78271.5, 0);
    expect(metersPerPixel(0, 15)).toBeCloseTo(2.3887, 3);
    expect(metersPerPixel(60, 15) / metersPerPixel(0, 15)).toBeCloseTo(0.5, 6);
  });
});

describe("niceScale", () => {
  it("picks the longest 1-2-5 length that fits", () => {
    expect(niceScale(2, 120)).toEqual({ meters: 200, px: 100, label: "200 m" });
    expect(niceScale(1, 120)).toEqual({ meters: 100, px: 100, label: "100 m" });
    expect(niceScale(4.5, 120).meters).toBe(500);
    expect(niceScale(10, 120)).toEqual({ meters: 1000, px: 100, label: "1 km" });
    expect(niceScale(20, 120).label).toBe("2 km");
  });
  it("never exceeds the width", () => {
    for (const mpp of [0.13, 0.7, 1.9, 3.3, 7.77, 42]) expect(niceScale(mpp, 150).px).toBeLessThanOrEqual(150);
  });
  it("rejects nonsense", () => {
    expect(() => niceScale(0, 100)).toThrow(RangeError);
  });
});
