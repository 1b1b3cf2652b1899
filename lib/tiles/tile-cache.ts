import { ByteLruCache } from "./lru-cache";
import { type Bbox, bboxToTileRange, type TileCoords, tileInRange } from "./tile-coords";

export type CachedTile = {
  layer: string;
  z: number;
  x: number;
  y: number;
  body: Buffer;
  etag: string;
  /** The body gzip-compressed, added in the background for clients that accept it. */
  gzip?: Buffer;
};

const ENTRY_OVERHEAD_BYTES = 200;

export function tileKey(layer: string, { z, x, y }: TileCoords): string {
  return `${layer}/${z}/${x}/${y}`;
}

/** Byte-bounded LRU of encoded tiles, indexed by layer and zoom so a bbox evicts only the tiles it touches. */
export class TileCache {
  private readonly lru: ByteLruCache<CachedTile>;
  /** layer → z → key → [x, y] */
  private readonly index = new Map<string, Map<number, Map<string, [number, number]>>>();

  constructor(maxBytes: number) {
    this.lru = new ByteLruCache<CachedTile>(
      maxBytes,
      (tile) => tile.body.length + (tile.gzip?.length ?? 0) + ENTRY_OVERHEAD_BYTES,
      (key, tile) => this.index.get(tile.layer)?.get(tile.z)?.delete(key),
    );
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.bytes;
  }

  get(layer: string, tile: TileCoords): CachedTile | undefined {
    return this.lru.get(tileKey(layer, tile));
  }

  peek(layer: string, tile: TileCoords): CachedTile | undefined {
    return this.lru.peek(tileKey(layer, tile));
  }

  set(entry: CachedTile): void {
    const key = tileKey(entry.layer, entry);
    if (!this.lru.set(key, entry)) return;
    let byZoom = this.index.get(entry.layer);
    if (!byZoom) {
      byZoom = new Map();
      this.index.set(entry.layer, byZoom);
    }
    let keys = byZoom.get(entry.z);
    if (!keys) {
      keys = new Map();
      byZoom.set(entry.z, keys);
    }
    keys.set(key, [entry.x, entry.y]);
  }

  /** Evict the layer's cached tiles whose area (grown by the MVT buffer) intersects the bbox; returns how many. */
  evictBbox(layer: string, bbox: Bbox, bufferRatio: number): number {
    const byZoom = this.index.get(layer);
    if (!byZoom) return 0;
    let evicted = 0;
    for (const [z, keys] of byZoom) {
      const range = bboxToTileRange(bbox, z, bufferRatio);
      for (const [key, [x, y]] of [...keys]) {
        if (tileInRange(x, y, range) && this.lru.delete(key)) evicted++;
      }
    }
    return evicted;
  }

  evictLayer(layer: string): void {
    const byZoom = this.index.get(layer);
    if (!byZoom) return;
    for (const keys of byZoom.values()) for (const key of [...keys.keys()]) this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
    this.index.clear();
  }
}
