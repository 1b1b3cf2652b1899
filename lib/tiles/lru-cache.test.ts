import { describe, expect, it } from "vitest";
import { ByteLruCache } from "./lru-cache";
import { TileCache } from "./tile-cache";
import { tileBbox } from "./tile-coords";

const bytes = (size: number) => Buffer.alloc(size);

describe("ByteLruCache", () => {
  it("evicts least recently used entries to stay within the byte budget", () => {
    const evicted: string[] = [];
    const cache = new ByteLruCache<Buffer>(
      100,
      (value) => value.length,
      (key) => evicted.push(key),
    );
    cache.set("a", bytes(40));
    cache.set("b", bytes(40));
    expect(cache.get("a")?.length).toBe(40); // a is now most recent
    cache.set("c", bytes(40));
    expect(evicted).toEqual(["b"]);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("c")).toBe(true);
    expect(cache.bytes).toBe(80);
  });

  it("replaces an existing key without double counting and refuses values larger than the budget", () => {
    const cache = new ByteLruCache<Buffer>(100, (value) => value.length);
    cache.set("a", bytes(30));
    cache.set("a", bytes(50));
    expect(cache.bytes).toBe(50);
    expect(cache.size).toBe(1);
    expect(cache.set("huge", bytes(101))).toBe(false);
    expect(cache.has("huge")).toBe(false);
    expect(cache.bytes).toBe(50);
  });

  it("clears everything", () => {
    const cache = new ByteLruCache<Buffer>(100, (value) => value.length);
    cache.set("a", bytes(10));
    cache.set("b", bytes(10));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});

describe("TileCache", () => {
  const entry = (layer: string, z: number, x: number, y: number) => ({
    layer,
    z,
    x,
    y,
    body: bytes(10),
    etag: `"${layer}${z}${x}${y}"`,
  });

  it("evicts only the tiles of the layer that intersect the bbox, at every zoom", () => {
    const cache = new TileCache(1_000_000);
    cache.set(entry("buildings", 16, 54391, 26660));
    cache.set(entry("buildings", 15, 27195, 13330));
    cache.set(entry("buildings", 16, 54000, 26000)); // far away
    cache.set(entry("grids", 16, 54391, 26660)); // other layer
    const [minLng, minLat, maxLng, maxLat] = tileBbox({ z: 16, x: 54391, y: 26660 });
    const centre: [number, number, number, number] = [
      (minLng + maxLng) / 2,
      (minLat + maxLat) / 2,
      (minLng + maxLng) / 2 + 1e-6,
      (minLat + maxLat) / 2 + 1e-6,
    ];
    expect(cache.evictBbox("buildings", centre, 64 / 4096)).toBe(2);
    expect(cache.get("buildings", { z: 16, x: 54391, y: 26660 })).toBeUndefined();
    expect(cache.get("buildings", { z: 15, x: 27195, y: 13330 })).toBeUndefined();
    expect(cache.get("buildings", { z: 16, x: 54000, y: 26000 })).toBeDefined();
    expect(cache.get("grids", { z: 16, x: 54391, y: 26660 })).toBeDefined();
  });

  it("keeps its zoom index consistent with LRU evictions", () => {
    const cache = new TileCache(2 * 210);
    cache.set(entry("basemap", 14, 1, 1));
    cache.set(entry("basemap", 14, 1, 2));
    cache.set(entry("basemap", 14, 1, 3)); // evicts 1/1
    expect(cache.size).toBe(2);
    expect(cache.evictBbox("basemap", [-180, -90, 180, 90], 0)).toBe(2);
    expect(cache.size).toBe(0);
  });
});
