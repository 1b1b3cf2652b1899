import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDraftPlan } from "@/lib/grids/create-draft-plan";
import { comparePlan, getComparePlanInfo, listPublishedPlans } from "@/lib/plans/compare";
import { withTestTransaction } from "./helpers";

describe("comparePlan on the demo city", () => {
  it("finds every grid of the active plan unchanged against itself, with totals from the buildings", async () => {
    await withTestTransaction(async (db) => {
      const active = await db.execute(sql`SELECT id FROM plans WHERE status = 'active' ORDER BY id LIMIT 1`);
      const planId = Number((active.rows[0] as { id: number }).id);
      const comparison = await comparePlan(db, planId);
      if (!comparison) throw new Error("no comparison");
      expect(comparison.summary.gridsBefore).toBe(comparison.summary.gridsAfter);
      expect(comparison.summary.changed).toBe(0);
      expect(comparison.after.every((grid) => grid.unchangedFrom === grid.code)).toBe(true);
      const totals = await db.execute(
        sql`SELECT coalesce(sum(households), 0)::int AS households FROM buildings WHERE grid_id IN
              (SELECT id FROM grids WHERE plan_id = ${planId} AND valid_to IS NULL)`,
      );
      expect(comparison.summary.householdsAfter).toBe(Number((totals.rows[0] as { households: number }).households));
      expect(comparison.geojson.features).toHaveLength(comparison.after.length);
      for (const grid of comparison.after) {
        expect(grid.compactness).toBeGreaterThan(0);
        expect(grid.compactness).toBeLessThanOrEqual(1);
        expect(grid.areaM2).toBeGreaterThan(0);
      }
    });
  });

  it("compares a draft of one community with that community's active grids only", async () => {
    await withTestTransaction(async (db) => {
      const community = await db.execute(
        sql`SELECT a.id FROM admin_areas a WHERE a.level = 'community'
            ORDER BY (SELECT coalesce(sum(households), 0) FROM buildings b WHERE b.community_id = a.id), a.code LIMIT 1`,
      );
      const communityId = Number((community.rows[0] as { id: number }).id);
      const draft = await createDraftPlan(db, {
        communityIds: [communityId],
        targets: { old: 200, new: 200 },
        seed: 3,
      });
      const comparison = await comparePlan(db, draft.planId);
      if (!comparison) throw new Error("no comparison");
      expect(comparison.plan.status).toBe("draft");
      expect(comparison.plan.communityIds).toEqual([communityId]);
      expect(comparison.before.every((grid) => grid.communityId === communityId)).toBe(true);
      expect(comparison.after.length).toBe(draft.communities[0]?.result.grids.length);
      // the same buildings are counted on both sides (each lies in exactly one grid of each plan)
      expect(comparison.summary.householdsAfter).toBe(comparison.summary.householdsBefore);
      const changed = comparison.after.filter((grid) => grid.unchangedFrom == null).length;
      expect(comparison.summary.changed).toBe(changed);
      // an unchanged grid really has the geometry of that active grid
      for (const grid of comparison.after.filter((g) => g.unchangedFrom)) {
        const same = await db.execute(
          sql`SELECT ST_Area(ST_SymDifference(a.geom, d.geom)::geography) AS diff FROM grids a, grids d
              WHERE d.id = ${grid.id} AND a.code = ${grid.unchangedFrom} AND a.valid_to IS NULL
                AND a.plan_id IN (SELECT id FROM plans WHERE status = 'active')`,
        );
        expect(Number((same.rows[0] as { diff: number }).diff)).toBeLessThan(1);
      }
    });
  });

  it("answers undefined for an unknown plan and lists published plans newest first", async () => {
    await withTestTransaction(async (db) => {
      expect(await comparePlan(db, 999_999)).toBeUndefined();
      expect(await getComparePlanInfo(db, 999_999)).toBeUndefined();
      const published = await listPublishedPlans(db);
      expect(published.length).toBeGreaterThan(0);
      const times = published.map((plan) => Date.parse(plan.publishedAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });
  });
});
