import { describe, expect, it } from "vitest";
import { PlanError } from "./errors";
import { featureLabel, parseImportBody } from "./geojson";

const square = (x: number, y: number, d = 0.001) => ({
  type: "Polygon",
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({
  type: "Feature",
  properties,
  geometry,
});

const collection = (...features: unknown[]) => ({ type: "FeatureCollection", features });

function refusal(body: unknown): PlanError {
  try {
    parseImportBody(body);
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error("expected a PlanError");
}

describe("parseImportBody", () => {
  it("accepts a bare FeatureCollection and the {name, featureCollection} wrapper", () => {
    const fc = collection(
      feature(square(118.78, 32.04), { code: "3201040010020001", community: "320104001002", target: 180 }),
    );
    const bare = parseImportBody(fc);
    expect(bare.name).toBeNull();
    expect(bare.features).toEqual([
      {
        index: 0,
        code: "3201040010020001",
        community: "320104001002",
        name: null,
        target: 180,
        geometry: square(118.78, 32.04),
      },
    ]);
    const wrapped = parseImportBody({ name: " 新方案 ", featureCollection: fc });
    expect(wrapped.name).toBe("新方案");
    expect(wrapped.features).toHaveLength(1);
  });

  it("accepts the EPSG:4326 and CRS84 crs members and refuses others", () => {
    for (const name of ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326"]) {
      expect(
        parseImportBody({ ...collection(feature(square(118, 32))), crs: { type: "name", properties: { name } } })
          .features,
      ).toHaveLength(1);
    }
    const error = refusal({
      ...collection(feature(square(118, 32))),
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4490" } },
    });
    expect(error.code).toBe("bad_input");
    expect(error.message).toMatch(/unsupported crs "urn:ogc:def:crs:EPSG::4490"/);
  });

  it("names each bad feature by index and code", () => {
    const error = refusal(
      collection(
        feature(square(118, 32), { code: "a" }),
        feature(
          {
            type: "LineString",
            coordinates: [
              [118, 32],
              [118.1, 32],
            ],
          },
          { code: "b" },
        ),
        feature({
          type: "Polygon",
          coordinates: [
            [
              [118, 32],
              [118.1, 32],
              [118.1, 32.1],
              [118, 32],
            ],
          ],
        }),
        feature(
          {
            type: "Polygon",
            coordinates: [
              [
                [118, 32],
                [118.1, 32],
                [118.1, 32.1],
                [118.05, 32.2],
              ],
            ],
          },
          { code: "d" },
        ),
      ),
    );
    expect(error.code).toBe("invalid_geometry");
    expect(error.message).toBe(
      "feature 1 (b) has a LineString geometry, only Polygon and MultiPolygon are accepted (and 1 more problem)",
    );
    const listed = (error.details as { errors: Array<{ feature: number; code: string | null; message: string }> })
      .errors;
    expect(listed.map((e) => [e.feature, e.code])).toEqual([
      [1, "b"],
      [3, "d"],
    ]);
    expect(listed[1]?.message).toMatch(/feature 3 \(d\) ring 0 is not closed/);
  });

  it("detects projected coordinates", () => {
    const error = refusal(collection(feature(square(13_224_000, 3_760_000, 100), { code: "x" })));
    expect(error.message).toMatch(
      /feature 0 \(x\) ring 0 has coordinates \[13224000, 3760000\].*looks like a projected CRS/,
    );
  });

  it("refuses what is not a FeatureCollection, empty ones and bad properties", () => {
    expect(refusal({ type: "Feature" }).message).toMatch(/not a GeoJSON FeatureCollection \(type is "Feature"\)/);
    expect(refusal("text").message).toMatch(/JSON object/);
    expect(refusal(collection()).message).toMatch(/no features/);
    expect(refusal(collection(feature(square(118, 32), { community: "3201" }))).message).toMatch(
      /feature 0 has community "3201": expected a 12-digit community code/,
    );
    const badTarget = refusal(collection(feature(square(118, 32), { target: -5 })));
    expect(badTarget.code).toBe("bad_input");
    expect(badTarget.message).toMatch(/feature 0 has target -5/);
    expect(refusal(collection({ type: "Nope" })).message).toMatch(/feature 0 is not a GeoJSON Feature/);
  });

  it("labels features with and without a code", () => {
    expect(featureLabel(3, "3201040010020001")).toBe("feature 3 (3201040010020001)");
    expect(featureLabel(0, null)).toBe("feature 0");
  });
});
