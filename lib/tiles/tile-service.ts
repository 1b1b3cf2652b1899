import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzip } from "node:zlib";
import { getToken } from "next-auth/jwt";
import { Client, type Pool } from "pg";
import { EXTENT, getLayer, LAYER_NAMES, type LayerDefinition, layersInvalidatedBy } from "./layers";
import { type CachedTile, TileCache, tileKey } from "./tile-cache";
import { type Bbox, parseTileCoords, type TileCoords } from "./tile-coords";

// Not `server-only`: this module runs in the bare Node server (server.ts), outside Next's module graph.

export const TILE_PATH_PREFIX = "/api/tiles/";
const MVT = "application/vnd.mapbox-vector-tile";
const BENCH_BYPASS_HEADER = "x-wangge-bench-bypass";

export type TileServiceOptions = {
  pool: Pool;
  /** Connection string for the dedicated LISTEN client. */
  databaseUrl: string;
  /** NEXTAUTH_SECRET, to read the session JWT. */
  secret?: string;
  cacheBytes?: number;
  /** Honour the cache-bypass header (bench only). */
  bench?: boolean;
  log?: Pick<Console, "error" | "warn" | "info">;
};

export type TileResult = { body: Buffer; etag: string; gzip?: Buffer; cache: "hit" | "miss" | "bypass" };
const GZIP_MIN_BYTES = 1024;

type Invalidation = { table: string; bbox: Bbox };

/** Serves `/api/tiles/{layer}/{z}/{x}/{y}` with an in-memory cache kept fresh by `LISTEN tile_invalidate`. */
export class TileService {
  readonly cache: TileCache;
  private readonly generations = new Map<string, number>();
  /** Layers with an invalidation still being resolved (extent query): their cache is neither read nor written. */
  private readonly pending = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<{ body: Buffer; etag: string }>>();
  /** Prepared layer inputs (e.g. admin totals), valid for one layer generation. */
  private readonly prepared = new Map<string, { generation: number; values: Promise<unknown[]> }>();
  private readonly tokenRoles = new Map<string, { role: string | null; expiresAt: number }>();
  private listener: Client | undefined;
  private listening = false;
  private closed = false;
  private reconnectDelayMs = 250;
  private reconnectTimer: NodeJS.Timeout | undefined;
  readonly stats = { hits: 0, misses: 0, evicted: 0, invalidations: 0, reconnects: 0 };

  constructor(private readonly options: TileServiceOptions) {
    this.cache = new TileCache(options.cacheBytes ?? 256 * 1024 * 1024);
  }

  private get log() {
    return this.options.log ?? console;
  }

  /** Start listening for invalidations (the cache is used only while that connection is up) and warm the pool. */
  async start(): Promise<void> {
    // a database that is down at start is not fatal: LISTEN retries, tiles answer 500 until it is back
    await Promise.all([
      this.connectListener(),
      warmPool(this.options.pool).catch((error: unknown) =>
        this.log.warn(`[tiles] could not warm the pool: ${error instanceof Error ? error.message : String(error)}`),
      ),
    ]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.listening = false;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  get isListening(): boolean {
    return this.listening;
  }

  private async connectListener(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on("error", (error) => this.onListenerLost(client, error));
    client.on("end", () => this.onListenerLost(client, new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel === "tile_invalidate" && message.payload) this.onNotify(message.payload);
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query("LISTEN tile_invalidate");
    } catch (error) {
      this.onListenerLost(client, error);
      return;
    }
    if (this.listener !== client) return;
    // events may have been missed while not listening
    this.clearCache();
    this.listening = true;
    this.reconnectDelayMs = 250;
  }

  private onListenerLost(client: Client, error: unknown): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.listening = false;
    this.clearCache();
    client.removeAllListeners("end");
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.stats.reconnects++;
    this.log.warn(
      `[tiles] LISTEN connection lost (${error instanceof Error ? error.message : String(error)}); retrying`,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connectListener();
    }, this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
  }

  clearCache(): void {
    for (const name of LAYER_NAMES) this.bump(name);
    this.cache.clear();
  }

  private bump(layer: string): void {
    this.generations.set(layer, (this.generations.get(layer) ?? 0) + 1);
  }

  private generation(layer: string): number {
    return this.generations.get(layer) ?? 0;
  }

  /** Apply one `tile_invalidate` payload `{table, bbox}`. */
  onNotify(payload: string): void {
    const invalidation = parseInvalidation(payload);
    if (!invalidation) {
      this.log.warn(`[tiles] ignoring malformed tile_invalidate payload: ${payload.slice(0, 200)}`);
      this.clearCache();
      return;
    }
    this.stats.invalidations++;
    for (const layer of layersInvalidatedBy(invalidation.table)) {
      // in-flight queries of this layer may hold pre-change data: they must not be cached
      this.bump(layer.name);
      this.stats.evicted += this.cache.evictBbox(layer.name, invalidation.bbox, layer.buffer / EXTENT);
      const extentSql = layer.invalidationExtent?.[invalidation.table];
      if (extentSql) void this.evictExtent(layer, extentSql, invalidation.bbox);
    }
  }

  /** Evict the tiles of features whose aggregate totals the change alters (e.g. a district's household count). */
  private async evictExtent(layer: LayerDefinition, sql: string, bbox: Bbox): Promise<void> {
    this.pending.set(layer.name, (this.pending.get(layer.name) ?? 0) + 1);
    try {
      const result = await this.options.pool.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
        sql,
        bbox,
      );
      const row = result.rows[0];
      if (row && row.xmin !== null) {
        const extent: Bbox = [row.xmin, row.ymin, row.xmax, row.ymax];
        this.stats.evicted += this.cache.evictBbox(layer.name, extent, layer.buffer / EXTENT);
      }
    } catch (error) {
      this.log.error("[tiles] invalidation extent query failed; evicting the whole layer", error);
      this.cache.evictLayer(layer.name);
    } finally {
      this.pending.set(layer.name, (this.pending.get(layer.name) ?? 1) - 1);
    }
  }

  private cacheUsable(layer: string): boolean {
    return this.listening && !(this.pending.get(layer) ?? 0);
  }

  /** Encoded tile bytes (possibly empty) for a validated layer and tile, through the cache. */
  async getTile(layer: LayerDefinition, tile: TileCoords, bypass = false): Promise<TileResult> {
    if (tile.z < layer.minzoom) return { body: EMPTY, etag: EMPTY_ETAG, cache: "hit" };
    if (bypass) return { ...(await this.queryTile(layer, tile)), cache: "bypass" };
    if (this.cacheUsable(layer.name)) {
      const cached = this.cache.get(layer.name, tile);
      if (cached) {
        this.stats.hits++;
        return { body: cached.body, etag: cached.etag, gzip: cached.gzip, cache: "hit" };
      }
    }
    this.stats.misses++;
    const generation = this.generation(layer.name);
    // concurrent identical requests share one query; the generation keeps post-change requests off old queries
    const flightKey = `${tileKey(layer.name, tile)}@${generation}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      flight = this.queryTile(layer, tile).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
      const started = flight;
      started.then(
        (result) => {
          if (this.generation(layer.name) === generation && this.cacheUsable(layer.name)) {
            const entry: CachedTile = { layer: layer.name, ...tile, ...result };
            this.cache.set(entry);
            if (entry.body.length >= GZIP_MIN_BYTES) this.addGzip(entry);
          }
        },
        () => undefined,
      );
    }
    return { ...(await flight), cache: "miss" };
  }

  /** The layer's prepared inputs for the current generation (recomputed after a change that touches the layer). */
  private preparedFor(layer: LayerDefinition, z: number): Promise<unknown[]> | undefined {
    if (!layer.prepare || z > (layer.preparedMaxZoom ?? Number.POSITIVE_INFINITY)) return undefined;
    const generation = this.generation(layer.name);
    const known = this.prepared.get(layer.name);
    if (known && known.generation === generation) return known.values;
    const values = layer.prepare(this.options.pool);
    this.prepared.set(layer.name, { generation, values });
    values.catch(() => {
      if (this.prepared.get(layer.name)?.values === values) this.prepared.delete(layer.name);
    });
    return values;
  }

  /** Compress a cached tile on the thread pool; hits then send it to clients that accept gzip (every browser). */
  private addGzip(entry: CachedTile): void {
    gzip(entry.body, { level: 6 }, (error, compressed) => {
      // only if the entry is still the one cached (not evicted or replaced meanwhile)
      if (error || compressed.length >= entry.body.length || this.cache.peek(entry.layer, entry) !== entry) return;
      this.cache.set({ ...entry, gzip: compressed });
    });
  }

  private async queryTile(layer: LayerDefinition, tile: TileCoords): Promise<{ body: Buffer; etag: string }> {
    const prepared = await this.preparedFor(layer, tile.z);
    const { text, values } = layer.query(tile.z, tile.x, tile.y, prepared);
    const result = await this.options.pool.query<[Buffer | null]>({ text, values, rowMode: "array" });
    const body = result.rows[0]?.[0] ?? EMPTY;
    return { body, etag: body.length ? etagOf(body) : EMPTY_ETAG };
  }

  /** The role claim of the request's next-auth session, or null without a valid session. */
  private async sessionRole(req: IncomingMessage): Promise<string | null> {
    const cookieHeader = req.headers.cookie ?? "";
    const authorization = req.headers.authorization ?? "";
    if (!cookieHeader.includes("next-auth.session-token") && !authorization.startsWith("Bearer ")) return null;
    const cacheKey = `${authorization}\n${cookieHeader}`;
    const now = Date.now();
    const known = this.tokenRoles.get(cacheKey);
    if (known && known.expiresAt > now) return known.role;
    // next-auth reads `req.cookies` (an object), which a bare IncomingMessage does not have
    const token = await getToken({
      // safe because getToken only reads `headers` and `cookies`
      req: { headers: req.headers, cookies: parseCookies(cookieHeader) } as unknown as Parameters<
        typeof getToken
      >[0]["req"],
      secret: this.options.secret,
    }).catch(() => null);
    const role = token && typeof token.role === "string" ? token.role : null;
    const expiresAt = token && typeof token.exp === "number" ? Math.min(token.exp * 1000, now + 60_000) : now + 5_000;
    if (this.tokenRoles.size > 1000) this.tokenRoles.clear();
    this.tokenRoles.set(cacheKey, { role, expiresAt });
    return role;
  }

  /** Node request handler for `/api/tiles/...`. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return sendJson(res, 405, { error: "method not allowed: use GET" }, { Allow: "GET, HEAD" });
      }
      const url = req.url ?? "";
      const path = url.split("?", 1)[0] ?? "";
      const parts = path.slice(TILE_PATH_PREFIX.length).split("/");
      if (!path.startsWith(TILE_PATH_PREFIX) || parts.length !== 4) {
        return sendJson(res, 400, { error: "expected /api/tiles/{layer}/{z}/{x}/{y}" });
      }
      const [layerName = "", z = "", x = "", y = ""] = parts.map(safeDecode);
      const layer = getLayer(layerName);
      if (!layer) {
        return sendJson(res, 400, {
          error: `unknown layer "${layerName.slice(0, 64)}"; valid layers: ${LAYER_NAMES.join(", ")}`,
        });
      }
      const coords = parseTileCoords(z, x, y);
      if (!coords.ok) return sendJson(res, 400, { error: coords.error });
      if (layer.roles) {
        const role = await this.sessionRole(req);
        if (!role) return sendJson(res, 401, { error: `sign in to read the ${layer.name} layer` });
        if (!layer.roles.includes(role as never)) {
          return sendJson(res, 403, { error: `role ${role} may not read the ${layer.name} layer` });
        }
      }
      const bypass = this.options.bench === true && req.headers[BENCH_BYPASS_HEADER] === "1";
      const started = performance.now();
      const result = await this.getTile(layer, coords.tile, bypass);
      const headers: Record<string, string> = {
        "Cache-Control": "no-cache",
        "X-Tile-Cache": result.cache,
        "Server-Timing": `tile;dur=${(performance.now() - started).toFixed(2)}`,
      };
      if (!result.body.length) {
        res.writeHead(204, headers);
        res.end();
        return;
      }
      // gzip and identity are two representations: each gets its own strong ETag; either revalidates
      const useGzip = result.gzip !== undefined && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
      const gzipEtag = `${result.etag.slice(0, -1)}-gz"`;
      headers.ETag = useGzip ? gzipEtag : result.etag;
      headers.Vary = "Accept-Encoding";
      const ifNoneMatchHeader = req.headers["if-none-match"];
      if (ifNoneMatch(ifNoneMatchHeader, result.etag) || ifNoneMatch(ifNoneMatchHeader, gzipEtag)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const body = useGzip && result.gzip ? result.gzip : result.body;
      headers["Content-Type"] = MVT;
      if (useGzip) headers["Content-Encoding"] = "gzip";
      headers["Content-Length"] = String(body.length);
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      this.log.error("[tiles] tile request failed", req.url, error);
      if (!res.headersSent) sendJson(res, 500, { error: "tile could not be rendered" });
      else res.destroy();
    }
  }
}

/**
 * Open up to `count` pool connections and make each initialise PostGIS's projection cache: the first ST_Transform
 * in a backend costs tens of milliseconds, which would otherwise land on the first tiles served.
 */
export async function warmPool(pool: Pool, count = pool.options.max ?? 10): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  try {
    await Promise.all(
      clients.map((client) => client.query("SELECT ST_Transform(ST_TileEnvelope(0, 0, 0), 4326)::box2d")),
    );
  } finally {
    for (const client of clients) client.release();
  }
}

const EMPTY = Buffer.alloc(0);
const EMPTY_ETAG = '"empty"';

export function etagOf(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (name) cookies[name] = safeDecode(part.slice(index + 1).trim());
  }
  return cookies;
}

function parseInvalidation(payload: string): Invalidation | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { table, bbox } = parsed as { table?: unknown; bbox?: unknown };
    if (typeof table !== "string" || !Array.isArray(bbox) || bbox.length !== 4) return undefined;
    if (!bbox.every((value) => typeof value === "number" && Number.isFinite(value))) return undefined;
    return { table, bbox: bbox as Bbox };
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}
