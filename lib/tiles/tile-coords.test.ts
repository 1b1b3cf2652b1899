import { describe, expect, it } from "vitest";
import { bboxToTileRange, lngLatToTile, parseTileCoords, tileBbox, tileInRange } from "./tile-coords";

describe("parseTileCoords", () => {
  it("accepts canonical integers within range", () => {
    expect(parseTileCoords("0", "0", "0")).toEqual({ ok: true, tile: { z: 0, x: 0, y: 0 } });
    expect(parseTileCoords("16", "54424", "26699")).toEqual({ ok: true, tile: { z: 16, x: 54424, y: 26699 } });
    expect(parseTileCoords("22", String(2 ** 22 - 1), "0").ok).toBe(true);
  });

  it.each([
    ["1.5", "0", "0", /^z must be a non-negative integer/],
    ["01", "0", "0", /^z .*leading zeros/],
    ["-1", "0", "0", /^z /],
    ["", "0", "0", /^z /],
    ["1e1", "0", "0", /^z /],
    ["+1", "0", "0", /^z /],
    ["23", "0", "0", /^z must be between 0 and 22/],
    ["1", "2", "0", /^x must be between 0 and 1 at z1, got 2/],
    ["1", "0", "2", /^y must be between 0 and 1 at z1, got 2/],
    ["3", "abc", "1", /^x /],
    ["3", "1", "0x1", /^y /],
    ["3", "1", " 1", /^y /],
    ["3", "1", "99999999999", /^y /],
  ])("rejects z=%j x=%j y=%j naming the bad value", (z, x, y, message) => {
    const result = parseTileCoords(z, x, y);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe("tile bounds", () => {
  it("z0 covers the web mercator world", () => {
    const [minLng, minLat, maxLng, maxLat] = tileBbox({ z: 0, x: 0, y: 0 });
    expect(minLng).toBe(-180);
    expect(maxLng).toBe(180);
    expect(maxLat).toBeCloseTo(85.0511, 3);
    expect(minLat).toBeCloseTo(-85.0511, 3);
  });

  it("finds the tile of 新街口 and contains the point", () => {
    const tile = lngLatToTile([118.78, 32.04], 16);
    expect(tile).toEqual({ z: 16, x: 54391, y: 26605 });
    const [minLng, minLat, maxLng, maxLat] = tileBbox(tile);
    expect(118.78).toBeGreaterThanOrEqual(minLng);
    expect(118.78).toBeLessThan(maxLng);
    expect(32.04).toBeGreaterThan(minLat);
    expect(32.04).toBeLessThanOrEqual(maxLat);
  });
});

describe("bboxToTileRange", () => {
  it("maps a point-sized bbox to its single tile", () => {
    const tile = lngLatToTile([118.78, 32.04], 15);
    expect(bboxToTileRange([118.78, 32.04, 118.78, 32.04], 15)).toEqual({
      minX: tile.x,
      maxX: tile.x,
      minY: tile.y,
      maxY: tile.y,
    });
  });

  it("round-trips a tile's own bounds (shrunk slightly) to that tile", () => {
    const tile = { z: 14, x: 13597, y: 6665 };
    const [a, b, c, d] = tileBbox(tile);
    const epsilon = 1e-9;
    expect(bboxToTileRange([a + epsilon, b + epsilon, c - epsilon, d - epsilon], 14)).toEqual({
      minX: 13597,
      maxX: 13597,
      minY: 6665,
      maxY: 6665,
    });
  });

  it("grows by the buffer into neighbouring tiles near an edge", () => {
    const tile = { z: 14, x: 13597, y: 6665 };
    const [minLng, minLat] = tileBbox(tile);
    // a point just inside the west/south edge touches the west and south neighbours' buffers
    const point: [number, number, number, number] = [minLng + 1e-6, minLat + 1e-6, minLng + 1e-6, minLat + 1e-6];
    expect(bboxToTileRange(point, 14)).toEqual({ minX: 13597, maxX: 13597, minY: 6665, maxY: 6665 });
    expect(bboxToTileRange(point, 14, 64 / 4096)).toEqual({ minX: 13596, maxX: 13597, minY: 6665, maxY: 6666 });
  });

  it("clamps to the world and orders rows north to south", () => {
    const range = bboxToTileRange([-200, -89, 200, 89], 2);
    expect(range).toEqual({ minX: 0, maxX: 3, minY: 0, maxY: 3 });
    const nanjing = bboxToTileRange([118.6, 31.9, 119.0, 32.2], 12);
    expect(nanjing.minY).toBeLessThanOrEqual(nanjing.maxY);
    expect(tileInRange(nanjing.minX, nanjing.maxY, nanjing)).toBe(true);
    expect(tileInRange(nanjing.maxX + 1, nanjing.maxY, nanjing)).toBe(false);
  });
});
