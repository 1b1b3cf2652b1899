import { describe, expect, it } from "vitest";
import { distanceMetres, wgs84ToGcj02 } from "@/lib/geo/crs";
import { GeoJsonImportError, parseGeoJson } from "./geojson";

const square = [
  [
    [118.78, 32.04],
    [118.781, 32.04],
    [118.781, 32.041],
    [118.78, 32.041],
    [118.78, 32.04],
  ],
];

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof GeoJsonImportError) return error.problems;
    throw error;
  }
  throw new Error("expected a GeoJsonImportError");
}

describe("parseGeoJson", () => {
  it("accepts a valid community collection", () => {
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: square },
          properties: { code: "320104001001", name: "测试社区" },
        },
      ],
    });
    const { crs, features } = parseGeoJson(text, "communities");
    expect(crs).toBe("4326");
    expect(features[0]?.sourceKey).toBe("320104001001");
    const aliased = parseGeoJson(
      text.replace('"name":"测试社区"', '"name":"测试社区","street_code":"320104001"'),
      "communities",
    );
    expect(aliased.features[0]?.properties.parent_code).toBe("320104001");
  });

  it("names the feature and the problem: unclosed ring, out-of-range coordinate, missing name", () => {
    const open = square.map((ring) => ring.slice(0, 4));
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: open },
          properties: { code: "320104001001", name: "A" },
        },
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: [square[0]?.map(([lng, lat]) => [lng, (lat ?? 0) + 100])] },
          properties: { code: "320104001002", name: "B" },
        },
        { type: "Feature", geometry: { type: "Polygon", coordinates: square }, properties: { code: "320104001003" } },
      ],
    });
    const problems = problemsOf(() => parseGeoJson(text, "communities"));
    expect(problems.some((p) => p.startsWith("feature 0 (id 320104001001)") && /not closed/.test(p))).toBe(true);
    expect(problems.some((p) => p.startsWith("feature 1") && /latitude .* out of range/.test(p))).toBe(true);
    expect(problems.some((p) => p.startsWith("feature 2") && /name/.test(p))).toBe(true);
  });

  it("converts GCJ-02 positions back to WGS 84 and honours the crs member", () => {
    const truth: [number, number] = [118.7842, 32.0416];
    const gcj = wgs84ToGcj02(truth);
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          id: "s1",
          geometry: { type: "Point", coordinates: gcj },
          properties: { name: "站", kind: "party_station" },
        },
      ],
    });
    const { features } = parseGeoJson(text, "stations", "gcj02");
    const converted = features[0]?.geometry.coordinates as [number, number];
    expect(distanceMetres(converted, truth)).toBeLessThan(0.5);

    const cgcs = JSON.stringify({
      type: "FeatureCollection",
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4490" } },
      features: [
        {
          type: "Feature",
          id: "s1",
          geometry: { type: "Point", coordinates: truth },
          properties: { name: "站", kind: "party_station" },
        },
      ],
    });
    expect(parseGeoJson(cgcs, "stations").crs).toBe("4490");
    expect(() => parseGeoJson(cgcs, "stations", "gcj02")).toThrow(/contradicts/);
  });

  it("rejects what is not a FeatureCollection", () => {
    expect(() => parseGeoJson("{", "stations")).toThrow(/not valid JSON/);
    expect(() => parseGeoJson('{"type":"Feature"}', "stations")).toThrow(/FeatureCollection/);
  });
});
