import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeTileFeatures, decodeTileIds } from "@/lib/bench/decode";
import { LAYERS } from "@/lib/tiles/layers";
import { lngLatToTile, type TileCoords } from "@/lib/tiles/tile-coords";
import { TileService } from "@/lib/tiles/tile-service";
import { testDatabaseUrl, testPool } from "./helpers";

const SECRET = "tiles-int-test-secret-tiles-int-test";
const XINJIEKOU: [number, number] = [118.78, 32.04];

let service: TileService;
let server: http.Server;
let baseUrl: string;
let plannerCookie: string;

type Response = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

const path = (layer: string, { z, x, y }: TileCoords) => `/api/tiles/${layer}/${z}/${x}/${y}`;

/** The building nearest to 新街口 and the z16 tile holding a point on its surface. */
async function buildingNearXinjiekou() {
  const result = await testPool.query<{ id: number; lng: number; lat: number; levels: number }>(
    `SELECT id, levels, ST_X(p) AS lng, ST_Y(p) AS lat
     FROM (SELECT id, levels, ST_PointOnSurface(geom) AS p FROM buildings
           ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 1) s`,
    XINJIEKOU,
  );
  const row = result.rows[0];
  if (!row) throw new Error("the test database has no buildings");
  return { ...row, tile: lngLatToTile([row.lng, row.lat], 16) };
}

beforeAll(async () => {
  service = new TileService({ pool: testPool, databaseUrl: testDatabaseUrl, secret: SECRET, bench: false });
  await service.start();
  server = http.createServer((req, res) => void service.handle(req, res));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = await encode({ token: { sub: "1", name: "planner", role: "planner" }, secret: SECRET });
  plannerCookie = `next-auth.session-token=${token}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await service.close();
});

describe("GET /api/tiles/{layer}/{z}/{x}/{y}", () => {
  it("serves the 新街口 building tile: decodable, holding the known building, the same features as direct SQL", async () => {
    const building = await buildingNearXinjiekou();
    const response = await get(path("buildings", building.tile), { cookie: plannerCookie });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/vnd.mapbox-vector-tile");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const features = decodeTileFeatures(response.body, "buildings");
    const ids = features.map((feature) => feature.id).sort((a, b) => a - b);
    expect(ids).toContain(building.id);
    const known = features.find((feature) => feature.id === building.id);
    expect(known?.properties.levels).toBe(building.levels);
    expect(Object.keys(known?.properties ?? {})).toEqual(
      expect.arrayContaining(["building_type", "levels", "levels_source", "residential", "households"]),
    );

    const { z, x, y } = building.tile;
    const direct = await testPool.query<{ id: number }>(
      `SELECT id FROM buildings
       WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)) ORDER BY id`,
      [z, x, y],
    );
    expect(ids).toEqual(direct.rows.map((row) => row.id));
  });

  it("answers 304 to a matching If-None-Match and serves the second request from the cache", async () => {
    const { tile } = await buildingNearXinjiekou();
    const first = await get(path("buildings", tile), { cookie: plannerCookie });
    const etag = String(first.headers.etag);
    const again = await get(path("buildings", tile), { cookie: plannerCookie, "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers["x-tile-cache"]).toBe("hit");
    expect(again.body.length).toBe(0);

    // browsers accept gzip: cached tiles are compressed in the background, a separate representation with its own ETag
    let compressed = await get(path("buildings", tile), { cookie: plannerCookie, "accept-encoding": "gzip, br" });
    for (let attempt = 0; attempt < 100 && compressed.headers["content-encoding"] !== "gzip"; attempt++) {
      await sleep(10);
      compressed = await get(path("buildings", tile), { cookie: plannerCookie, "accept-encoding": "gzip, br" });
    }
    expect(compressed.headers["content-encoding"]).toBe("gzip");
    expect(compressed.headers.vary).toBe("Accept-Encoding");
    expect(compressed.headers.etag).not.toBe(etag);
    expect(gunzipSync(compressed.body).equals(first.body)).toBe(true);
    const revalidated = await get(path("buildings", tile), {
      cookie: plannerCookie,
      "accept-encoding": "gzip",
      "if-none-match": String(compressed.headers.etag),
    });
    expect(revalidated.status).toBe(304);
  });

  it("serves the public basemap and admin layers with their source-layers and no session", async () => {
    const tile = lngLatToTile(XINJIEKOU, 14);
    const basemap = await get(path("basemap", tile));
    expect(basemap.status).toBe(200);
    const basemapLayers = Object.keys(decodeTileIds(basemap.body));
    expect(basemapLayers).toEqual(expect.arrayContaining(["roads"]));
    for (const name of basemapLayers) expect(LAYERS.basemap.sourceLayers).toContain(name);

    const admin = await get(path("admin", tile));
    expect(admin.status).toBe(200);
    const adminLayers = Object.keys(decodeTileIds(admin.body));
    for (const name of adminLayers) expect(LAYERS.admin.sourceLayers).toContain(name);
    expect(adminLayers.length).toBeGreaterThan(0);
  });

  it("gives grids of the active plan their household totals from the buildings", async () => {
    const grid = await testPool.query<{ id: number; lng: number; lat: number; households: number; target: number }>(
      `SELECT g.id, ST_X(ST_PointOnSurface(g.geom)) AS lng, ST_Y(ST_PointOnSurface(g.geom)) AS lat, g.household_target AS target,
         (SELECT coalesce(sum(households), 0)::int FROM buildings b WHERE b.grid_id = g.id) AS households
       FROM grids g JOIN plans p ON p.id = g.plan_id
       WHERE p.status = 'active' AND g.valid_to IS NULL ORDER BY g.id LIMIT 1`,
    );
    const row = grid.rows[0];
    expect(row, "the seeded test database has an active plan with grids").toBeDefined();
    if (!row) return;
    const response = await get(path("grids", lngLatToTile([row.lng, row.lat], 16)), { cookie: plannerCookie });
    expect(response.status).toBe(200);
    const feature = decodeTileFeatures(response.body, "grids").find((candidate) => candidate.id === row.id);
    expect(feature?.properties.households).toBe(row.households);
    expect(feature?.properties.household_target).toBe(row.target);
    expect(feature?.properties.deviation_pct).toBeCloseTo(
      Math.round((1000 * (row.households - row.target)) / row.target) / 10,
      5,
    );
    // low zooms read grid_totals (kept by triggers): same numbers
    const lowZoom = await get(path("grids", lngLatToTile([row.lng, row.lat], 13)), { cookie: plannerCookie });
    const lowFeature = decodeTileFeatures(lowZoom.body, "grids").find((candidate) => candidate.id === row.id);
    expect(lowFeature?.properties.households).toBe(row.households);
    expect(lowFeature?.properties.building_count).toBe(feature?.properties.building_count);
  });

  it("keeps grid_totals (low-zoom grid totals) equal to the buildings' sums through edits, moves and deletes", async () => {
    const mismatches = `SELECT count(*)::int AS n FROM (
        SELECT grid_id, sum(households) AS households, count(*) AS building_count FROM buildings
        WHERE grid_id IS NOT NULL GROUP BY grid_id) b
      FULL JOIN (SELECT * FROM grid_totals WHERE building_count <> 0) t USING (grid_id)
      WHERE b.households IS DISTINCT FROM t.households OR b.building_count IS DISTINCT FROM t.building_count`;
    const client = new Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      expect((await client.query<{ n: number }>(mismatches)).rows[0]?.n).toBe(0);
      const grids = (
        await client.query<{ id: number }>(
          "SELECT DISTINCT grid_id AS id FROM buildings WHERE grid_id IS NOT NULL LIMIT 2",
        )
      ).rows.map((row) => row.id);
      expect(grids.length).toBe(2);
      await client.query("UPDATE buildings SET households_estimated = households_estimated + 5 WHERE grid_id = $1", [
        grids[0],
      ]);
      await client.query(
        "UPDATE buildings SET grid_id = $2 WHERE id = (SELECT min(id) FROM buildings WHERE grid_id = $1)",
        grids,
      );
      await client.query("DELETE FROM buildings WHERE id = (SELECT max(id) FROM buildings WHERE grid_id = $1)", [
        grids[1],
      ]);
      await client.query(
        `INSERT INTO buildings (source_key, levels, levels_source, residential, area_m2, households_estimated, grid_id, geom)
         SELECT source_key || ':copy', levels, levels_source, residential, area_m2, 3, grid_id, geom
         FROM buildings WHERE grid_id = $1 LIMIT 1`,
        [grids[0]],
      );
      expect((await client.query<{ n: number }>(mismatches)).rows[0]?.n).toBe(0);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });

  it("gives admin areas household totals that follow building edits", async () => {
    const building = await buildingNearXinjiekou();
    const community = await testPool.query<{ id: number; households: number }>(
      `SELECT b.community_id AS id, (SELECT sum(households)::int FROM buildings WHERE community_id = b.community_id) AS households
       FROM buildings b WHERE b.id = $1 AND b.community_id IS NOT NULL`,
      [building.id],
    );
    const row = community.rows[0];
    expect(row, "the building near 新街口 belongs to a community").toBeDefined();
    if (!row) return;
    const tilePath = path("admin", lngLatToTile([building.lng, building.lat], 14));
    const households = async () =>
      decodeTileFeatures((await get(tilePath)).body, "communities").find((feature) => feature.id === row.id)?.properties
        .households;
    expect(await households()).toBe(row.households);

    const writer = new Client({ connectionString: testDatabaseUrl });
    await writer.connect();
    try {
      await writer.query("UPDATE buildings SET households_estimated = households_estimated + 7 WHERE id = $1", [
        building.id,
      ]);
      const expected = (
        await testPool.query<{ households: number }>(
          "SELECT sum(households)::int AS households FROM buildings WHERE community_id = $1",
          [row.id],
        )
      ).rows[0]?.households;
      let seen = await households();
      for (let attempt = 0; attempt < 250 && seen !== expected; attempt++) {
        await sleep(20);
        seen = await households();
      }
      expect(seen).toBe(expected);
    } finally {
      await writer.query("UPDATE buildings SET households_estimated = households_estimated - 7 WHERE id = $1", [
        building.id,
      ]);
      await writer.end();
    }
  });

  it("rejects an unknown layer with 400 listing the valid ones", async () => {
    const response = await get("/api/tiles/parcels/16/54391/26605");
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body.toString()) as { error: string };
    expect(body.error).toContain("parcels");
    expect(body.error).toContain("basemap, admin, grids, buildings, stations, cases");
  });

  it.each([
    ["/api/tiles/basemap/1.5/0/0", "z"],
    ["/api/tiles/basemap/016/54391/26605", "z"],
    ["/api/tiles/basemap/23/0/0", "z"],
    ["/api/tiles/basemap/2/4/0", "x"],
    ["/api/tiles/basemap/2/0/-1", "y"],
    ["/api/tiles/basemap/2/0/abc", "y"],
    ["/api/tiles/basemap/2/0", "expected"],
  ])("rejects %s with 400 naming %s", async (url, name) => {
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toMatch(/application\/json/);
    expect((JSON.parse(response.body.toString()) as { error: string }).error).toMatch(new RegExp(`^${name}`));
  });

  it("answers 204 for an empty area and for buildings below their minzoom", async () => {
    const pacific = lngLatToTile([-150, 0], 16);
    expect((await get(path("buildings", pacific), { cookie: plannerCookie })).status).toBe(204);
    expect((await get(path("basemap", pacific))).status).toBe(204);
    const lowZoom = lngLatToTile(XINJIEKOU, 13);
    expect((await get(path("buildings", lowZoom), { cookie: plannerCookie })).status).toBe(204);
  });

  it("requires a session for protected layers (401) and the right role (403)", async () => {
    const tile = lngLatToTile(XINJIEKOU, 16);
    const anonymous = await get(path("buildings", tile));
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body.toString())).toHaveProperty("error");
    const forged = await get(path("buildings", tile), { cookie: "next-auth.session-token=not-a-jwt" });
    expect(forged.status).toBe(401);
    // planners do not see cases
    const planner = await get(path("cases", tile), { cookie: plannerCookie });
    expect(planner.status).toBe(403);
    const commanderToken = await encode({ token: { sub: "2", role: "commander" }, secret: SECRET });
    const commander = await get(path("cases", tile), { cookie: `next-auth.session-token=${commanderToken}` });
    expect([200, 204]).toContain(commander.status);
  });

  it("evicts the edited building's tile on NOTIFY and keeps a far-away tile cached", async () => {
    const building = await buildingNearXinjiekou();
    const far: TileCoords = { ...building.tile, x: building.tile.x - 40 };
    const farPath = path("buildings", far);
    const nearPath = path("buildings", building.tile);
    await get(nearPath, { cookie: plannerCookie });
    await get(farPath, { cookie: plannerCookie });
    const before = await get(nearPath, { cookie: plannerCookie });
    expect(before.headers["x-tile-cache"]).toBe("hit");
    expect((await get(farPath, { cookie: plannerCookie })).headers["x-tile-cache"]).toBe("hit");

    const writer = new Client({ connectionString: testDatabaseUrl });
    await writer.connect();
    try {
      await writer.query("UPDATE buildings SET levels = levels + 1 WHERE id = $1", [building.id]);
      let after = before;
      for (let attempt = 0; attempt < 250 && after.headers.etag === before.headers.etag; attempt++) {
        await sleep(20);
        after = await get(nearPath, { cookie: plannerCookie });
      }
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const edited = decodeTileFeatures(after.body, "buildings").find((feature) => feature.id === building.id);
      expect(edited?.properties.levels).toBe(building.levels + 1);
      expect((await get(farPath, { cookie: plannerCookie })).headers["x-tile-cache"]).toBe("hit");
    } finally {
      await writer.query("UPDATE buildings SET levels = levels - 1 WHERE id = $1", [building.id]);
      await writer.end();
    }
  });

  it("re-LISTENs after losing its connection and starts from an empty cache", async () => {
    const tile = lngLatToTile(XINJIEKOU, 15);
    await get(path("basemap", tile));
    expect(service.cache.size).toBeGreaterThan(0);
    await testPool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN tile_invalidate' AND pid <> pg_backend_pid()",
    );
    for (let attempt = 0; attempt < 250 && service.stats.reconnects === 0; attempt++) await sleep(20);
    expect(service.stats.reconnects).toBeGreaterThan(0);
    for (let attempt = 0; attempt < 250 && !service.isListening; attempt++) await sleep(20);
    expect(service.isListening).toBe(true);
    expect(service.cache.size).toBe(0);
    expect((await get(path("basemap", tile))).headers["x-tile-cache"]).toBe("miss");
  });
});
