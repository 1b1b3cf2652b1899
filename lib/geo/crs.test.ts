import { describe, expect, it } from "vitest";
import { crsFromGeoJsonMember, distanceMetres, gcj02ToWgs84, isOutsideChina, toWgs84, wgs84ToGcj02 } from "./crs";

// Published test vectors of the eviltransform reference implementation: [wgsLng, wgsLat] → [gcjLng, gcjLat].
const VECTORS: [[number, number], [number, number], string][] = [
  [[121.5272106, 31.1774276], [121.531541859215, 31.17530398364597], "Shanghai"],
  [[113.912316, 22.543847], [113.9171764808363, 22.540796131694766], "Shenzhen"],
  [[116.377817, 39.911954], [116.38404722455657, 39.91334545536069], "Beijing"],
];

describe("GCJ-02", () => {
  it.each(VECTORS)("forward transform matches the published vector (%s → %s, %s)", (wgs, gcj) => {
    const [lng, lat] = wgs84ToGcj02(wgs);
    expect(lng).toBeCloseTo(gcj[0], 9);
    expect(lat).toBeCloseTo(gcj[1], 9);
  });

  it.each(VECTORS)("inverse recovers the WGS 84 truth within 0.5 m (%s)", (wgs, gcj) => {
    expect(distanceMetres(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.5);
  });

  it("round-trips points across Nanjing to well under 0.5 m", () => {
    for (let lng = 118.6; lng <= 119.0; lng += 0.05) {
      for (let lat = 31.9; lat <= 32.2; lat += 0.05) {
        const wgs: [number, number] = [lng, lat];
        const gcj = wgs84ToGcj02(wgs);
        expect(distanceMetres(wgs, gcj)).toBeGreaterThan(100); // the offset is hundreds of metres
        expect(distanceMetres(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.01);
      }
    }
  });

  it("leaves positions outside China unchanged", () => {
    expect(isOutsideChina([-0.1276, 51.5072])).toBe(true);
    expect(wgs84ToGcj02([-0.1276, 51.5072])).toEqual([-0.1276, 51.5072]);
    expect(gcj02ToWgs84([-0.1276, 51.5072])).toEqual([-0.1276, 51.5072]);
  });

  it("treats EPSG:4490 and 4326 as identical and converts gcj02", () => {
    expect(toWgs84([118.78, 32.04], "4490")).toEqual([118.78, 32.04]);
    expect(toWgs84([118.78, 32.04], "4326")).toEqual([118.78, 32.04]);
    expect(toWgs84([118.78, 32.04], "gcj02")).not.toEqual([118.78, 32.04]);
  });
});

describe("GeoJSON crs member", () => {
  it("recognises the usual spellings and rejects others", () => {
    expect(crsFromGeoJsonMember(undefined)).toBeNull();
    expect(crsFromGeoJsonMember({ type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4490" } })).toBe("4490");
    expect(crsFromGeoJsonMember({ type: "name", properties: { name: "EPSG:4326" } })).toBe("4326");
    expect(crsFromGeoJsonMember({ type: "name", properties: { name: "urn:ogc:def:crs:OGC:1.3:CRS84" } })).toBe("4326");
    expect(() => crsFromGeoJsonMember({ type: "name", properties: { name: "EPSG:3857" } })).toThrow(/unsupported/);
  });
});
