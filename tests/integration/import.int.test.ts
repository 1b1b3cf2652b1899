import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { DERIVED_PLAN_NOTE } from "@/lib/import/derive";
import { validatePlan } from "@/lib/plans/validate";
import { domainChecksum } from "@/tests/fixtures/db-checksum";
import { expectedFromOsm } from "@/tests/fixtures/osm-expectations";
import { OSM_FILE } from "./global-setup";
import { testDatabaseUrl, testDb, testPool } from "./helpers";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "wangge-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function importCli(file: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/import-osm.ts", file, ...flags], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDatabaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

describe("OSM import of the Nanjing extract", () => {
  const expected = expectedFromOsm(OSM_FILE);

  it("imports exactly the building ways and relations of the file", async () => {
    const { rows } = await testPool.query<{ source_key: string }>(
      "SELECT source_key FROM buildings WHERE source_key LIKE 'osm:%' ORDER BY source_key",
    );
    expect(expected.buildingKeys.length).toBeGreaterThan(1200);
    expect(rows.map((row) => row.source_key)).toEqual(expected.buildingKeys);
  });

  it("imports every road and railway and splits walkable ways at every node", async () => {
    const { rows } = await testPool.query<{ roads: number; edges: number; bad_ends: number; bad_length: number }>(
      `SELECT (SELECT count(*) FROM basemap_roads)::int AS roads, (SELECT count(*) FROM walk_edges)::int AS edges,
              (SELECT count(*) FROM walk_edges e WHERE NOT EXISTS (SELECT 1 FROM walk_nodes n WHERE n.id = e.source)
                 OR NOT EXISTS (SELECT 1 FROM walk_nodes n WHERE n.id = e.target))::int AS bad_ends,
              (SELECT count(*) FROM walk_edges WHERE length_m <= 0 OR abs(length_m - ST_Length(geom::geography)) > 0.01)::int AS bad_length`,
    );
    expect(rows[0]).toEqual({ roads: expected.roads, edges: expected.walkEdges, bad_ends: 0, bad_length: 0 });
  });

  it("estimates households with the documented formula and plausible figures", async () => {
    const { rows } = await testPool.query<{ wrong: number; total: number; residential: number; no_levels: number }>(
      `SELECT count(*) FILTER (WHERE households_estimated <>
                CASE WHEN residential THEN greatest(1, round((area_m2 * levels * 0.75 / 90)::numeric)) ELSE 0 END)::int AS wrong,
              sum(households_estimated)::int AS total, count(*) FILTER (WHERE residential)::int AS residential,
              count(*) FILTER (WHERE levels < 1)::int AS no_levels
       FROM buildings`,
    );
    const row = rows[0];
    expect(row?.wrong).toBe(0);
    expect(row?.no_levels).toBe(0);
    expect(row?.residential).toBeGreaterThan(300);
    expect(row?.total).toBeGreaterThan(5_000);
    expect(row?.total).toBeLessThan(60_000);
  });

  it("derives communities that tile the study area exactly, in a valid 区 → 街道 → 社区 hierarchy", async () => {
    const { rows } = await testPool.query<{
      communities: number;
      sum_m2: number;
      union_m2: number;
      city_m2: number;
      overlaps: number;
      multipart: number;
      bad_codes: number;
      bad_size: number;
    }>(
      `WITH c AS (SELECT * FROM admin_areas WHERE level = 'community' AND source = 'derived')
       SELECT (SELECT count(*) FROM c)::int AS communities,
              (SELECT sum(ST_Area(geom::geography)) FROM c) AS sum_m2,
              (SELECT ST_Area(ST_Union(geom)::geography) FROM c) AS union_m2,
              (SELECT ST_Area(geom::geography) FROM admin_areas WHERE code = '320100') AS city_m2,
              (SELECT count(*) FROM c a JOIN c b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom))::int AS overlaps,
              (SELECT count(*) FROM c WHERE ST_NumGeometries(geom) <> 1)::int AS multipart,
              (SELECT count(*) FROM c JOIN admin_areas s ON s.id = c.parent_id JOIN admin_areas d ON d.id = s.parent_id
                WHERE c.code !~ '^[0-9]{12}$' OR left(c.code, 9) <> s.code OR left(c.code, 6) <> d.code
                   OR d.code NOT IN ('320102', '320104', '320106') OR s.level <> 'street' OR d.level <> 'district')::int
                + (SELECT count(*) FROM c WHERE parent_id IS NULL)::int AS bad_codes,
              (SELECT count(*) FROM c WHERE (SELECT sum(households) FROM buildings b WHERE b.community_id = c.id) NOT BETWEEN 1500 AND 4000)::int AS bad_size`,
    );
    const row = rows[0];
    expect(row?.communities).toBeGreaterThanOrEqual(4);
    expect(row?.overlaps).toBe(0);
    expect(row?.multipart).toBe(0);
    expect(row?.bad_codes).toBe(0);
    expect(row?.bad_size).toBe(0);
    expect(Math.abs((row?.sum_m2 ?? 0) - (row?.union_m2 ?? 1))).toBeLessThan(1);
    expect(Math.abs((row?.city_m2 ?? 0) - (row?.union_m2 ?? 1))).toBeLessThan(1);
  });

  it("puts every building in exactly one grid of the single active plan, and grids tile their community", async () => {
    const { rows } = await testPool.query<{
      active_plans: number;
      grids: number;
      not_one: number;
      mismatch: number;
      no_community: number;
      untiled: number;
      grid_overlaps: number;
      multipart: number;
      bad_codes: number;
    }>(
      `WITH g AS (SELECT g.* FROM grids g JOIN plans p ON p.id = g.plan_id AND p.status = 'active')
       SELECT (SELECT count(*) FROM plans WHERE status = 'active')::int AS active_plans,
              (SELECT count(*) FROM g)::int AS grids,
              (SELECT count(*) FROM buildings b
                WHERE (SELECT count(*) FROM g WHERE ST_Intersects(g.geom, ST_PointOnSurface(b.geom))) <> 1)::int AS not_one,
              (SELECT count(*) FROM buildings b LEFT JOIN g ON g.id = b.grid_id
                WHERE g.id IS NULL OR NOT ST_Intersects(g.geom, ST_PointOnSurface(b.geom)))::int AS mismatch,
              (SELECT count(*) FROM buildings WHERE community_id IS NULL)::int AS no_community,
              (SELECT count(*) FROM admin_areas c WHERE c.level = 'community' AND abs(ST_Area(c.geom::geography)
                 - (SELECT coalesce(sum(ST_Area(g.geom::geography)), 0) FROM g WHERE g.community_id = c.id)) > 1)::int AS untiled,
              (SELECT count(*) FROM g a JOIN g b ON a.id < b.id AND ST_Overlaps(a.geom, b.geom))::int AS grid_overlaps,
              (SELECT count(*) FROM g WHERE ST_NumGeometries(geom) <> 1)::int AS multipart,
              (SELECT count(*) FROM g JOIN admin_areas c ON c.id = g.community_id
                WHERE g.code !~ ('^' || c.code || '[0-9]{4}$') OR g.household_target NOT IN (200, 500))::int AS bad_codes`,
    );
    expect(rows[0]).toEqual({
      active_plans: 1,
      grids: expect.any(Number),
      not_one: 0,
      mismatch: 0,
      no_community: 0,
      untiled: 0,
      grid_overlaps: 0,
      multipart: 0,
      bad_codes: 0,
    });
    expect(rows[0]?.grids).toBeGreaterThan(10);
  });

  it("derives an initial plan that validates without errors: no grid boundary cuts a building", async () => {
    const plan = await testPool.query<{ id: number }>("SELECT id FROM plans WHERE note = $1", [DERIVED_PLAN_NOTE]);
    const planId = Number(plan.rows[0]?.id);
    const issues = await validatePlan(testDb, planId);
    expect(issues.filter((issue) => issue.severity === "error")).toEqual([]);
    // stricter than validation (> 1 m² on each side): no building of a community has 0.01 m² in two of its grids
    const { rows } = await testPool.query<{ cut: number }>(
      `SELECT count(*)::int AS cut FROM (
         SELECT b.id FROM buildings b JOIN admin_areas c ON c.id = b.community_id
         JOIN grids g ON g.plan_id = $1 AND g.community_id = c.id AND ST_Intersects(g.geom, b.geom)
         WHERE ST_Area(ST_Intersection(b.geom, g.geom)::geography) > 0.01
         GROUP BY b.id HAVING count(*) > 1) x`,
      [planId],
    );
    expect(rows[0]?.cut).toBe(0);
  });

  it("keeps grid_totals equal to the buildings' grid_id after the import", async () => {
    const { rows } = await testPool.query<{ grids: number; wrong: number }>(
      `WITH b AS (SELECT grid_id, sum(households)::int AS households, count(*)::int AS n
                  FROM buildings WHERE grid_id IS NOT NULL GROUP BY grid_id)
       SELECT count(*)::int AS grids,
              count(*) FILTER (WHERE (coalesce(t.households, 0)::int, coalesce(t.building_count, 0)::int)
                IS DISTINCT FROM (coalesce(b.households, 0), coalesce(b.n, 0)))::int AS wrong
       FROM grids g LEFT JOIN grid_totals t ON t.grid_id = g.id LEFT JOIN b ON b.grid_id = g.id`,
    );
    expect(rows[0]?.grids).toBeGreaterThan(10);
    expect(rows[0]?.wrong).toBe(0);
  });

  it("creates real OSM stations and one demo 党群服务站 per community / 党群服务中心 per street", async () => {
    const { rows } = await testPool.query<{
      osm: number;
      stations: number;
      centers: number;
      communities: number;
      streets: number;
    }>(
      `SELECT (SELECT count(*) FROM service_stations WHERE source_key LIKE 'osm:%' AND NOT is_demo)::int AS osm,
              (SELECT count(*) FROM service_stations WHERE kind = 'party_station' AND is_demo AND source_key LIKE 'demo:%')::int AS stations,
              (SELECT count(*) FROM service_stations WHERE kind = 'party_center' AND is_demo AND source_key LIKE 'demo:%')::int AS centers,
              (SELECT count(*) FROM admin_areas WHERE level = 'community')::int AS communities,
              (SELECT count(*) FROM admin_areas WHERE level = 'street')::int AS streets`,
    );
    const row = rows[0];
    expect(row?.osm).toBeGreaterThanOrEqual(2); // 秦淮区政府, 玄武区人民政府
    expect(row?.stations).toBe(row?.communities);
    expect(row?.centers).toBe(row?.streets);
  });

  it("re-importing the same file is a no-op (short-circuit, and also when forced)", async () => {
    const before = await domainChecksum(testPool);
    const again = await importCli(OSM_FILE);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/unchanged/);
    const forced = await importCli(OSM_FILE, "--force");
    expect(forced.code).toBe(0);
    expect(await domainChecksum(testPool)).toEqual(before);
    const { rows } = await testPool.query<{ changes: Record<string, number> }>(
      "SELECT detail->'changes' AS changes FROM audit_log WHERE action = 'import.osm' ORDER BY id DESC LIMIT 1",
    );
    expect(Object.values(rows[0]?.changes ?? { missing: 1 }).every((value) => value === 0)).toBe(true);
  });

  it("a truncated file fails clearly and leaves every domain table unchanged", async () => {
    const before = await domainChecksum(testPool);
    const truncated = path.join(tmp, "truncated.osm");
    writeFileSync(truncated, readFileSync(OSM_FILE).subarray(0, 400_000));
    const result = await importCli(truncated);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/osm2pgsql could not read truncated\.osm/);
    expect(await domainChecksum(testPool)).toEqual(before);
  });

  it("a file without features fails clearly and leaves every domain table unchanged", async () => {
    const before = await domainChecksum(testPool);
    const empty = path.join(tmp, "empty.osm");
    writeFileSync(empty, '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test"></osm>\n');
    const result = await importCli(empty);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/contains no usable OSM features/);
    const missing = await importCli(path.join(tmp, "missing.osm"));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/not found/);
    expect(await domainChecksum(testPool)).toEqual(before);
  });

  it("writes an audit row and an import run with the file hash", async () => {
    const { rows } = await testPool.query<{ runs: number; audits: number }>(
      `SELECT (SELECT count(*) FROM import_runs WHERE kind = 'osm' AND sha256 ~ '^[0-9a-f]{64}$')::int AS runs,
              (SELECT count(*) FROM audit_log WHERE actor = 'system:import' AND action = 'import.osm')::int AS audits`,
    );
    expect(rows[0]?.runs).toBeGreaterThanOrEqual(1);
    expect(rows[0]?.audits).toBeGreaterThanOrEqual(1);
  });
});
