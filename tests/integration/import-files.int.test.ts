import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client, Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { distanceMetres } from "@/lib/geo/crs";
import { GeoJsonImportError, importGeoJsonFile } from "@/lib/import/geojson";
import { HouseholdsImportError, importHouseholdsFile } from "@/lib/import/households";
import { importOsmFile } from "@/lib/import/osm";
import { domainChecksum } from "@/tests/fixtures/db-checksum";
import { OSM_FILE } from "./global-setup";
import { testDatabaseUrl, testPool } from "./helpers";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.resolve(__dirname, "../fixtures");
const tmp = mkdtempSync(path.join(tmpdir(), "wangge-files-"));

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

function square(lng: number, lat: number, size = 0.001): number[][][] {
  return [
    [
      [lng, lat],
      [lng + size, lat],
      [lng + size, lat + size],
      [lng, lat + size],
      [lng, lat],
    ],
  ];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the import to fail");
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("bad input leaves the shared database untouched", () => {
  it("bad GeoJSON (unclosed ring, out-of-range coordinate, missing name) names each feature, writes nothing", async () => {
    const before = await domainChecksum(testPool);
    const unclosed = square(118.78, 32.04).map((ring) => ring.slice(0, 4));
    const file = writeJson("bad-communities.geojson", {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: square(118.77, 32.04) },
          properties: { code: "320104099001", name: "好社区" },
        },
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: unclosed },
          properties: { code: "320104099002", name: "开环社区" },
        },
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: square(218.78, 32.04) },
          properties: { code: "320104099003", name: "越界社区" },
        },
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: square(118.79, 32.04) },
          properties: { code: "320104099004" },
        },
      ],
    });
    const error = await rejection(importGeoJsonFile(testPool, file, { as: "communities" }));
    expect(error).toBeInstanceOf(GeoJsonImportError);
    expect(error.message).toMatch(/feature 1 \(id 320104099002\).*not closed/);
    expect(error.message).toMatch(/feature 2 \(id 320104099003\).*longitude 218\.78.* out of range/);
    expect(error.message).toMatch(/feature 3 \(id 320104099004\).*name/);
    expect(await domainChecksum(testPool)).toEqual(before);
  });

  it("a self-intersecting polygon fails ST_IsValid with the feature named, writes nothing", async () => {
    const before = await domainChecksum(testPool);
    const bowtie = [
      [
        [118.78, 32.04],
        [118.781, 32.041],
        [118.781, 32.04],
        [118.78, 32.041],
        [118.78, 32.04],
      ],
    ];
    const file = writeJson("bowtie.geojson", {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          id: "ok",
          geometry: { type: "Polygon", coordinates: square(118.77, 32.04) },
          properties: { levels: 3 },
        },
        { type: "Feature", id: "bowtie", geometry: { type: "Polygon", coordinates: bowtie }, properties: {} },
      ],
    });
    const error = await rejection(importGeoJsonFile(testPool, file, { as: "buildings" }));
    expect(error.message).toMatch(/feature 1 \(id bowtie\): Self-intersection/);
    expect(await domainChecksum(testPool)).toEqual(before);
  });

  it("a household CSV with one bad row reports its line and writes nothing", async () => {
    const before = await domainChecksum(testPool);
    const { rows } = await testPool.query<{ source_key: string }>(
      "SELECT source_key FROM buildings WHERE residential ORDER BY source_key LIMIT 3",
    );
    const keys = rows.map((row) => row.source_key);
    const csv = path.join(tmp, "households.csv");
    writeFileSync(
      csv,
      `building_source_key,households\n"${keys[0]}",12\n${keys[1]},7\nosm:w999999999999,4\n${keys[2]},9\n`,
    );
    const error = await rejection(importHouseholdsFile(testPool, csv));
    expect(error).toBeInstanceOf(HouseholdsImportError);
    expect((error as HouseholdsImportError).problems).toEqual(["line 4: unknown building osm:w999999999999"]);
    writeFileSync(csv, `building_source_key,households\n${keys[0]},12\n${keys[1]},x\n`);
    const syntax = await rejection(importHouseholdsFile(testPool, csv));
    expect(syntax.message).toMatch(/line 3: households "x" is not an integer/);
    expect(await domainChecksum(testPool)).toEqual(before);
  });
});

describe("imports that commit, on a scratch database", () => {
  const name = `wangge_import_scratch_${process.pid}`;
  const url = testDatabaseUrl.replace(/\/[^/]*$/, `/${name}`);
  const adminUrl = testDatabaseUrl.replace(/\/[^/]*$/, "/postgres");
  let pool: Pool;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    await runMigrations(url);
    pool = new Pool({ connectionString: url, max: 4 });
    await importOsmFile(pool, OSM_FILE, { databaseUrl: url });
  });

  afterAll(async () => {
    await pool?.end();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  it("a GCJ-02 GeoJSON of stations lands within 1 m of the WGS 84 truth (CLI)", async () => {
    const file = path.join(FIXTURES, "stations-gcj02.geojson");
    const { stdout } = await run(
      "npx",
      ["tsx", "scripts/import-geojson.ts", file, "--as", "stations", "--crs", "gcj02"],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } },
    );
    expect(stdout).toMatch(/2 stations .* 2 inserted/);
    const fixture = JSON.parse(readFileSync(file, "utf8")) as {
      features: { id: string; properties: { wgs84_truth: [number, number] } }[];
    };
    for (const feature of fixture.features) {
      const { rows } = await pool.query<{ lng: number; lat: number; is_demo: boolean; community_id: number | null }>(
        `SELECT ST_X(location) AS lng, ST_Y(location) AS lat, is_demo, community_id FROM service_stations WHERE source_key = $1`,
        [`geojson:${feature.id}`],
      );
      const row = rows[0];
      expect(row?.is_demo).toBe(false);
      expect(row?.community_id).not.toBeNull();
      expect(distanceMetres([row?.lng ?? 0, row?.lat ?? 0], feature.properties.wgs84_truth)).toBeLessThan(1);
    }
  });

  it("official communities (EPSG:4490 crs member) are stored with source 'official'", async () => {
    const file = writeJson("official.geojson", {
      type: "FeatureCollection",
      crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::4490" } },
      features: [
        {
          type: "Feature",
          geometry: { type: "Polygon", coordinates: square(118.79, 32.045, 0.002) },
          properties: { code: "320102001901", name: "测试官方社区", parent_code: null, estate_kind: "new" },
        },
      ],
    });
    const result = await importGeoJsonFile(pool, file, { as: "communities" });
    expect(result).toMatchObject({ crs: "4490", features: 1, inserted: 1 });
    const { rows } = await pool.query<{ source: string; parent: string | null }>(
      `SELECT a.source, p.code AS parent FROM admin_areas a LEFT JOIN admin_areas p ON p.id = a.parent_id WHERE a.code = '320102001901'`,
    );
    expect(rows[0]?.source).toBe("official");
    expect(rows[0]?.parent).toMatch(/^[0-9]{9}$/);
  });

  it("a valid household CSV sets surveyed counts, with one audit row per building; re-running changes nothing", async () => {
    const { rows } = await pool.query<{ id: number; source_key: string }>(
      "SELECT id, source_key FROM buildings WHERE residential ORDER BY id LIMIT 2",
    );
    const csv = path.join(tmp, "households-ok.csv");
    writeFileSync(csv, `building_id,households\n${rows[0]?.id},31\n"${rows[1]?.id}",0\n`);
    expect(await importHouseholdsFile(pool, csv)).toEqual({ rows: 2, changed: 2 });
    expect(await importHouseholdsFile(pool, csv)).toEqual({ rows: 2, changed: 0 });
    const check = await pool.query<{ households: number; households_source: string }>(
      "SELECT households, households_source FROM buildings WHERE id = ANY($1::int[]) ORDER BY id",
      [rows.map((row) => row.id)],
    );
    expect(check.rows).toEqual([
      { households: 31, households_source: "surveyed" },
      { households: 0, households_source: "surveyed" },
    ]);
    const audit = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE actor = 'system:import' AND action = 'import.households'",
    );
    expect(audit.rows[0]?.n).toBe(2);
  });
});
