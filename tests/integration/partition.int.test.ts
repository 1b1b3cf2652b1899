import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { createDraftPlan } from "@/lib/grids/create-draft-plan";
import { withTestTransaction } from "./helpers";

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

async function communityIds(db: Db): Promise<number[]> {
  const r = await rows<{ id: number }>(db, sql`SELECT id FROM admin_areas WHERE level = 'community' ORDER BY code`);
  return r.map((x) => Number(x.id));
}

/** Every invariant checked in PostGIS on the stored draft grids. */
async function checkPlan(db: Db, planId: number) {
  // sym_planar / diff_planar: measured in the stored CRS (planar EPSG:4326), in m² by the community's own scale
  // (geography area / planar area); the geodesic area of a sliver ring is not additive (a vertex added on a straight
  // lon/lat edge bends the geodesic), so `sym` (geography) only bounds the tiling error from above
  const cover = await rows<{
    code: string;
    sym: number;
    sym_planar: number;
    diff_planar: number;
    area: number;
    grids: number;
  }>(
    db,
    sql`SELECT a.code, ST_Area(ST_SymDifference(ST_Union(g.geom), a.geom)::geography) AS sym,
               ST_Area(ST_SymDifference(ST_Union(g.geom), a.geom)) * ST_Area(a.geom::geography) / ST_Area(a.geom) AS sym_planar,
               abs(ST_Area(ST_Union(g.geom)) - ST_Area(a.geom)) * ST_Area(a.geom::geography) / ST_Area(a.geom) AS diff_planar,
               ST_Area(a.geom::geography) AS area, count(*)::int AS grids
        FROM grids g JOIN admin_areas a ON a.id = g.community_id WHERE g.plan_id = ${planId} GROUP BY a.code, a.geom`,
  );
  const overlaps = await rows<{ n: number; area: number }>(
    db,
    sql`SELECT count(*)::int AS n, coalesce(sum(ST_Area(ST_Intersection(x.geom, y.geom)::geography)), 0) AS area
        FROM grids x JOIN grids y ON x.plan_id = y.plan_id AND x.id < y.id AND x.geom && y.geom
        WHERE x.plan_id = ${planId} AND ST_Overlaps(x.geom, y.geom)`,
  );
  const shapes = await rows<{ bad: number; invalid: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE ST_NumGeometries(geom) <> 1)::int AS bad,
               count(*) FILTER (WHERE NOT ST_IsValid(geom))::int AS invalid
        FROM grids WHERE plan_id = ${planId}`,
  );
  // each building (its part inside its community) in exactly one grid: by point-on-surface, and by area
  const buildings = await rows<{ by_point: number; by_area: number; n: number }>(
    db,
    sql`WITH b AS (
          SELECT b.id, ST_Intersection(b.geom, a.geom) AS geom FROM buildings b
          JOIN admin_areas a ON a.id = b.community_id
          WHERE a.id IN (SELECT community_id FROM grids WHERE plan_id = ${planId})
        )
        SELECT count(*)::int AS n,
          count(*) FILTER (WHERE (SELECT count(*) FROM grids g WHERE g.plan_id = ${planId}
                                  AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))) <> 1)::int AS by_point,
          count(*) FILTER (WHERE (SELECT count(*) FROM grids g WHERE g.plan_id = ${planId} AND g.geom && b.geom
                                  AND ST_Area(ST_Intersection(g.geom, b.geom)::geography) > 0.05) <> 1)::int AS by_area
        FROM b WHERE NOT ST_IsEmpty(b.geom)`,
  );
  const pp = await rows<{ pp_min: number; pp_mean: number }>(
    db,
    sql`SELECT min(pp) AS pp_min, avg(pp) AS pp_mean FROM (
          SELECT 4 * pi() * ST_Area(geom::geography) / power(ST_Perimeter(geom::geography), 2) AS pp
          FROM grids WHERE plan_id = ${planId}) x`,
  );
  return { cover, overlaps: overlaps[0], shapes: shapes[0], buildings: buildings[0], pp: pp[0] };
}

describe("automatic partition on the imported Nanjing data", () => {
  it("partitions every demo community (200/500) into a draft plan that satisfies the invariants", async () => {
    await withTestTransaction(async (tx) => {
      const ids = await communityIds(tx);
      expect(ids.length).toBeGreaterThan(0);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const plan = await createDraftPlan(tx, { communityIds: ids, targets: { old: 200, new: 500 }, seed: 1 });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      const status = await rows<{ status: string; n: number; valid_from: number }>(
        tx,
        sql`SELECT p.status, count(g.*)::int AS n, count(g.valid_from)::int AS valid_from
            FROM plans p JOIN grids g ON g.plan_id = p.id WHERE p.id = ${plan.planId} GROUP BY p.status`,
      );
      expect(status[0]?.status).toBe("draft");
      expect(status[0]?.valid_from).toBe(0);
      const check = await checkPlan(tx, plan.planId);
      // 1) exact tiling: no gaps, no overlaps, union = community
      for (const c of check.cover) {
        expect(c.sym).toBeLessThan(1e-5 * c.area);
        expect(c.sym_planar).toBeLessThan(0.01);
        expect(c.diff_planar).toBeLessThan(0.01);
      }
      console.log(
        check.cover
          .map(
            (c) =>
              `${c.code} coverage error ${c.sym_planar.toFixed(4)} m² (area difference ${c.diff_planar.toFixed(4)} m², geodesic ${c.sym.toFixed(2)} m²) of ${Math.round(c.area)} m²`,
          )
          .join("\n"),
      );
      console.log(
        `overlaps ${check.overlaps?.n} pairs, ${check.overlaps?.area.toFixed(3)} m²; PP (PostGIS) min ${check.pp?.pp_min.toFixed(2)} mean ${check.pp?.pp_mean.toFixed(2)}`,
      );
      expect(check.overlaps?.area ?? 0).toBeLessThan(2);
      expect(check.overlaps?.n).toBe(0);
      // 2) one contiguous, valid polygon per grid
      expect(check.shapes?.bad).toBe(0);
      expect(check.shapes?.invalid).toBe(0);
      // 3) never split a building
      expect(check.buildings?.by_point).toBe(0);
      expect(check.buildings?.by_area).toBe(0);
      // 4–6) balance, blocks, compactness (from the exact graph metrics), every exception with a reason
      for (const c of plan.communities) {
        const m = c.metrics;
        expect(m.nonContiguous).toBe(0);
        expect(m.splitBuildings).toBe(0);
        expect(m.smallBlocksSplit).toBe(0);
        expect(m.unassignedCells + m.duplicatedCells).toBe(0);
        const listed = new Set(c.result.exceptions.map((e) => e.grid));
        for (const g of m.grids) if (Math.abs(g.deviation) > 0.1) expect(listed.has(g.index)).toBe(true);
        if (m.gridCount > 3) expect(m.roadShare).toBeGreaterThanOrEqual(0.3);
        expect(m.ppMin).toBeGreaterThanOrEqual(0.25);
        console.log(
          `${c.code} target ${c.target}: ${m.gridCount} grids, ±5% ${m.within5}, ±10% ${m.within10}, max ${(m.maxAbsDeviation * 100).toFixed(1)}%, ` +
            `PP mean ${m.ppMean.toFixed(2)} min ${m.ppMin.toFixed(2)}, roads ${(m.roadShare * 100).toFixed(0)}%, exceptions ${m.exceptions}`,
        );
      }
      expect(check.pp?.pp_min ?? 0).toBeGreaterThanOrEqual(0.25);
      // figures achieved on the demo data (docs/partition.md): five communities of old estates at 200 hold 57 grids,
      // 49 within ±5 % and 55 within ±10 %; the two beyond are listed (a 94-household block reachable only through a
      // 207-household block, see the docs); compactness is bounded by the cells (grids of 3–15 cells)
      const old = plan.communities.filter((c) => c.target === 200);
      const grids = old.reduce((s, c) => s + c.metrics.gridCount, 0);
      const within5 = old.reduce((s, c) => s + c.metrics.within5, 0);
      const within10 = old.reduce((s, c) => s + c.metrics.within10, 0);
      console.log(`old estates at 200: ${grids} grids, ±5% ${within5}, ±10% ${within10}`);
      expect(within5).toBeGreaterThanOrEqual(Math.floor(0.85 * grids));
      expect(grids - within10).toBeLessThanOrEqual(2);
      for (const c of old) expect(c.metrics.ppMean).toBeGreaterThanOrEqual(0.42);
      expect(check.pp?.pp_mean ?? 0).toBeGreaterThanOrEqual(0.5);
      // the whole demo city, end to end (wall time on a shared 2-core machine; the partition itself is CPU-bound)
      console.log(
        `tessellation ${plan.tessellationMs.toFixed(0)} ms, partition ${plan.partitionMs.toFixed(0)} ms, write ${plan.writeMs.toFixed(0)} ms, total ${ms.toFixed(0)} ms`,
      );
      // timings are reported, not asserted: performance targets live in `npm run bench -- --only partition`
      console.log(`this process: ${cpuMs.toFixed(0)} ms CPU`);
      // codes: community code + 4 digits, numbered from 0001 without gaps
      const codes = await rows<{ code: string; community: string; seq: number; n: number }>(
        tx,
        sql`SELECT a.code AS community, max(right(g.code, 4)::int) AS seq, count(*)::int AS n, min(g.code) AS code
            FROM grids g JOIN admin_areas a ON a.id = g.community_id WHERE g.plan_id = ${plan.planId} GROUP BY a.code`,
      );
      for (const c of codes) {
        expect(c.code.startsWith(c.community)).toBe(true);
        expect(c.seq).toBe(c.n);
      }
    });
  }, 300_000);

  it("is reproducible: the same input and seed give the same grids", async () => {
    await withTestTransaction(async (tx) => {
      const ids = (await communityIds(tx)).slice(1, 2);
      const a = await createDraftPlan(tx, { communityIds: ids, seed: 3 });
      const b = await createDraftPlan(tx, { communityIds: ids, seed: 3 });
      const diff = await rows<{ n: number; total: number }>(
        tx,
        sql`SELECT count(*) FILTER (WHERE y.id IS NULL OR NOT ST_Equals(x.geom, y.geom))::int AS n, count(*)::int AS total
            FROM grids x LEFT JOIN grids y ON y.plan_id = ${b.planId} AND y.code = x.code WHERE x.plan_id = ${a.planId}`,
      );
      expect(diff[0]?.total).toBeGreaterThan(0);
      expect(diff[0]?.n).toBe(0);
      expect(b.communities[0]?.result).toEqual(a.communities[0]?.result);
    });
  }, 300_000);

  it("rejects an id that is not a community", async () => {
    await withTestTransaction(async (tx) => {
      await expect(createDraftPlan(tx, { communityIds: [-1] })).rejects.toThrow(/not a community/);
      await expect(createDraftPlan(tx, { communityIds: [1], targets: { old: 0, new: 500 } })).rejects.toThrow(
        /positive/,
      );
    });
  });
});
