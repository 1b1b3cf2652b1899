import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { createDraftPlan } from "@/lib/grids/create-draft-plan";
import { NEW_ESTATE_MIN_LEVELS } from "@/lib/import/osm-rules";
import { withTestTransaction } from "./helpers";

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

/** The demo community holding most new-estate households among those that also hold old-estate households. */
async function mixedCandidate(db: Db): Promise<{ id: number; code: string; old_hh: number; new_hh: number }> {
  const found = await rows<{ id: number; code: string; old_hh: number; new_hh: number }>(
    db,
    sql`SELECT a.id, a.code,
               coalesce(sum(b.households) FILTER (WHERE b.levels IS NULL OR b.levels < ${NEW_ESTATE_MIN_LEVELS}), 0)::int AS old_hh,
               coalesce(sum(b.households) FILTER (WHERE b.levels >= ${NEW_ESTATE_MIN_LEVELS}), 0)::int AS new_hh
        FROM admin_areas a JOIN buildings b ON b.community_id = a.id WHERE a.level = 'community'
        GROUP BY a.id, a.code HAVING coalesce(sum(b.households) FILTER (WHERE b.levels >= ${NEW_ESTATE_MIN_LEVELS}), 0) > 0
          AND coalesce(sum(b.households) FILTER (WHERE b.levels IS NULL OR b.levels < ${NEW_ESTATE_MIN_LEVELS}), 0) > 0
        ORDER BY 4 DESC, a.code LIMIT 1`,
  );
  const c = found[0];
  if (!c) throw new Error("the demo data has no community holding both old and new estates");
  return { ...c, id: Number(c.id) };
}

describe("per-estate-kind targets in a mixed community (demo data)", () => {
  it("partitions the old part at 200 and the new part at 500, each grid with its own kind and target", async () => {
    await withTestTransaction(async (tx) => {
      // the derived communities are declared 'old' or 'new'; one that holds both kinds is declared 'mixed' here
      const c = await mixedCandidate(tx);
      await tx.execute(sql`UPDATE admin_areas SET estate_kind = 'mixed' WHERE id = ${c.id}`);
      const plan = await createDraftPlan(tx, { communityIds: [c.id], targets: { old: 200, new: 500 }, seed: 1 });
      const part = plan.communities[0];
      if (!part) throw new Error("no community partitioned");
      expect(part.parts?.map((p) => p.estateKind)).toEqual(["old", "new"]);
      expect(part.gridKinds).toHaveLength(part.result.grids.length);
      const grids = await rows<{
        code: string;
        estate_kind: string;
        household_target: number;
        old_hh: number;
        new_hh: number;
      }>(
        tx,
        sql`SELECT g.code, g.estate_kind::text AS estate_kind, g.household_target,
                   coalesce(sum(b.households) FILTER (WHERE b.levels IS NULL OR b.levels < ${NEW_ESTATE_MIN_LEVELS}), 0)::int AS old_hh,
                   coalesce(sum(b.households) FILTER (WHERE b.levels >= ${NEW_ESTATE_MIN_LEVELS}), 0)::int AS new_hh
            FROM grids g LEFT JOIN buildings b ON b.community_id = g.community_id AND b.households > 0
              AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))
            WHERE g.plan_id = ${plan.planId} GROUP BY g.code, g.estate_kind, g.household_target ORDER BY g.code`,
      );
      console.log(
        `${c.code} (${c.old_hh} old + ${c.new_hh} new households): ` +
          grids.map((g) => `${g.estate_kind}/${g.household_target}: ${g.old_hh}+${g.new_hh}`).join(", "),
      );
      expect(grids).toHaveLength(part.result.grids.length);
      // stored kind and target per grid, matching the partition
      for (const g of grids) expect(g.household_target).toBe(g.estate_kind === "new" ? 500 : 200);
      const kinds = new Set(grids.map((g) => g.estate_kind));
      expect(kinds).toEqual(new Set(["old", "new"]));
      const byCode = new Map(part.codes.map((code, i) => [code, i]));
      for (const g of grids) expect(part.gridKinds[byCode.get(g.code) as number]).toBe(g.estate_kind);
      // the households of a grid are (almost all) of its own kind: blocks are classified by majority, so a new grid
      // may hold a few old households of its blocks and the other way round
      const newHh = grids.filter((g) => g.estate_kind === "new").reduce((s, g) => s + g.new_hh, 0);
      expect(newHh).toBeGreaterThanOrEqual(0.8 * c.new_hh);
      for (const g of grids) {
        const own = g.estate_kind === "new" ? g.new_hh : g.old_hh;
        expect(own).toBeGreaterThanOrEqual(0.5 * (g.old_hh + g.new_hh));
      }
      // metrics per grid against the grid's own target; every grid beyond ±10 % is a listed exception
      const m = part.metrics;
      expect(m.grids.map((g) => g.target)).toEqual(part.gridTargets);
      expect(m.unassignedCells + m.duplicatedCells + m.splitBuildings + m.nonContiguous).toBe(0);
      const listed = new Set(part.result.exceptions.map((e) => e.grid));
      for (const g of m.grids) if (Math.abs(g.deviation) > 0.1) expect(listed.has(g.index)).toBe(true);
      console.log(
        `metrics: ${m.gridCount} grids, ±5% ${m.within5}, ±10% ${m.within10}, max ${(m.maxAbsDeviation * 100).toFixed(1)}%, ` +
          `targets ${part.gridTargets.join("/")}, exceptions ${m.exceptions}`,
      );
      // the tiling stays exact: the grids cover the community without overlap
      const cover = await rows<{ sym: number; overlaps: number }>(
        tx,
        sql`SELECT (SELECT ST_Area(ST_SymDifference(ST_Union(g.geom), a.geom)::geography)
                      FROM grids g WHERE g.plan_id = ${plan.planId}) AS sym,
                   (SELECT count(*)::int FROM grids x JOIN grids y ON x.id < y.id AND x.geom && y.geom
                      WHERE x.plan_id = ${plan.planId} AND y.plan_id = ${plan.planId} AND ST_Overlaps(x.geom, y.geom)) AS overlaps
            FROM admin_areas a WHERE a.id = ${c.id}`,
      );
      expect(cover[0]?.sym ?? 1).toBeLessThan(1);
      expect(cover[0]?.overlaps).toBe(0);
    });
  }, 300_000);

  it("the same community declared 'old' keeps one target (200) for every grid", async () => {
    await withTestTransaction(async (tx) => {
      const c = await mixedCandidate(tx);
      await tx.execute(sql`UPDATE admin_areas SET estate_kind = 'old' WHERE id = ${c.id}`);
      const plan = await createDraftPlan(tx, { communityIds: [c.id], targets: { old: 200, new: 500 }, seed: 1 });
      const part = plan.communities[0];
      expect(part?.parts).toBeUndefined();
      expect(new Set(part?.gridTargets)).toEqual(new Set([200]));
      const stored = await rows<{ kinds: string[] }>(
        tx,
        sql`SELECT array_agg(DISTINCT estate_kind::text) AS kinds FROM grids WHERE plan_id = ${plan.planId}`,
      );
      expect(stored[0]?.kinds).toEqual(["old"]);
    });
  }, 300_000);
});
