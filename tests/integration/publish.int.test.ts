import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { createDraftPlan } from "@/lib/grids/create-draft-plan";
import { applyPlanEdit } from "@/lib/plans/edits";
import { PlanError } from "@/lib/plans/errors";
import { importPlanGeoJson } from "@/lib/plans/geojson";
import { getGridsOnDate, parseHistoryDate, shanghaiDate } from "@/lib/plans/history";
import { publishPlan } from "@/lib/plans/publish";
import { getPlanDetail, listPlans } from "@/lib/plans/queries";
import { testDb, withTestTransaction } from "./helpers";
import nearCollinear from "./near-collinear-grids.json";

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await rows<T>(db, query);
  if (!row) throw new Error("no row");
  return row;
}

async function planError(promise: Promise<unknown>): Promise<PlanError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error("expected a PlanError");
}

const COMMUNITY = "320104001002"; // 长白街社区: 14 grids in plan 1, no split building

async function communityId(db: Db): Promise<number> {
  return Number((await one<{ id: number }>(db, sql`SELECT id FROM admin_areas WHERE code = ${COMMUNITY}`)).id);
}

async function plannerId(db: Db): Promise<number> {
  return Number((await one<{ id: number }>(db, sql`SELECT id FROM users WHERE username = 'planner'`)).id);
}

/** Open case at the point on surface of a residential building of the community, plus a closed one. */
async function insertCases(db: Db, cid: number): Promise<{ open: number; closed: number; oldGrid: number }> {
  const building = await one<{ id: number; grid_id: number }>(
    db,
    sql`SELECT id, grid_id FROM buildings WHERE community_id = ${cid} AND residential ORDER BY id LIMIT 1`,
  );
  const insert = (code: string, status: string) =>
    one<{ id: number }>(
      db,
      sql`INSERT INTO cases (tracking_code, category_code, title, status, location, grid_id, community_id)
          SELECT ${code}, 'environment.garbage', '测试案件', ${status}::case_status, ST_PointOnSurface(geom), grid_id, community_id
          FROM buildings WHERE id = ${building.id} RETURNING id`,
    );
  const open = Number((await insert("TEST-PUBLISH-OPEN", "dispatched")).id);
  const closed = Number((await insert("TEST-PUBLISH-CLOSED", "closed")).id);
  return { open, closed, oldGrid: Number(building.grid_id) };
}

/** A snapshot of what publish may change, to prove a refused publish changed nothing. */
async function snapshot(db: Db) {
  return rows(
    db,
    sql`SELECT (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM buildings) AS buildings,
               (SELECT md5(string_agg(id || ':' || coalesce(valid_to::text, '-') || code, ',' ORDER BY id)) FROM grids) AS grids,
               (SELECT md5(string_agg(id || ':' || status || version, ',' ORDER BY id)) FROM plans) AS plans,
               (SELECT md5(string_agg(id || ':' || coalesce(grid_id, 0), ',' ORDER BY id)) FROM grid_members) AS members,
               (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM case_events) AS events`,
  );
}

describe("publish", () => {
  it("publishes an automatic draft: retires the old grids, re-assigns buildings, open cases and members, audits", async () => {
    await withTestTransaction(async (tx) => {
      const cid = await communityId(tx);
      const userId = await plannerId(tx);
      // the old grids were published ten days ago, so history has a day before this publish
      await tx.execute(sql`UPDATE grids SET valid_from = now() - interval '10 days' WHERE plan_id = 1`);
      const cases = await insertCases(tx, cid);
      const oldGrids = await rows<{ id: number; code: string }>(
        tx,
        sql`SELECT id, code FROM grids WHERE plan_id = 1 AND community_id = ${cid} ORDER BY code`,
      );
      const membersBefore = await one<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM grid_members WHERE grid_id IN (SELECT id FROM grids WHERE plan_id = 1 AND community_id = ${cid})`,
      );
      expect(Number(membersBefore.n)).toBeGreaterThan(0);

      const draft = await createDraftPlan(tx, { communityIds: [cid], targets: { old: 200, new: 500 }, seed: 1 });
      const detail = await getPlanDetail(tx, draft.planId);
      expect(detail.validation.filter((v) => v.severity === "error")).toEqual([]);

      // a stale version is refused and changes nothing
      const before = await snapshot(tx);
      const stale = await planError(publishPlan(tx, draft.planId, { version: detail.version + 1, userId }));
      expect(stale.code).toBe("stale_version");
      expect(stale.status).toBe(409);
      expect(stale.message).toMatch(/you have version 2, it is now 1/);
      expect(await snapshot(tx)).toEqual(before);
      // the active plan is not a draft
      expect((await planError(publishPlan(tx, 1, { version: 1, userId }))).code).toBe("not_draft");
      expect(await snapshot(tx)).toEqual(before);

      const result = await publishPlan(tx, draft.planId, { version: detail.version, userId });
      expect(result.retiredGrids).toBe(oldGrids.length);
      // the earlier active plan stays in force elsewhere and counts only the grids it still holds in force
      const listed = await listPlans(tx);
      expect(listed.find((p) => p.id === 1)?.gridCount).toBe(52 - oldGrids.length);
      expect(listed.find((p) => p.id === draft.planId)?.gridCount).toBe(detail.grids.length);
      expect(result.grids).toHaveLength(detail.grids.length);
      // every code: community + 4 digits, unique, new ones after the highest ever used (14), west→east
      for (const g of result.grids) expect(g.code).toMatch(new RegExp(`^${COMMUNITY}[0-9]{4}$`));
      expect(new Set(result.grids.map((g) => g.code)).size).toBe(result.grids.length);
      const fresh = result.grids.filter((g) => !g.keptCode).map((g) => Number(g.code.slice(12)));
      expect(Math.min(...fresh)).toBe(oldGrids.length + 1);

      const plan = await one<{ status: string; version: number; published_by: number; published_at: Date }>(
        tx,
        sql`SELECT status::text AS status, version, published_by, published_at FROM plans WHERE id = ${draft.planId}`,
      );
      expect(plan.status).toBe("active");
      expect(Number(plan.version)).toBe(detail.version + 1);
      expect(Number(plan.published_by)).toBe(userId);
      expect(
        (await one<{ status: string }>(tx, sql`SELECT status::text AS status FROM plans WHERE id = 1`)).status,
      ).toBe("active"); // plan 1 still holds the other communities
      const retired = await one<{ n: number; open: number }>(
        tx,
        sql`SELECT count(*) FILTER (WHERE valid_to IS NOT NULL)::int AS n, count(*) FILTER (WHERE valid_to IS NULL)::int AS open
            FROM grids WHERE plan_id = 1 AND community_id = ${cid}`,
      );
      expect(Number(retired.n)).toBe(oldGrids.length);
      expect(Number(retired.open)).toBe(0);

      // every building of the community is in the new grid holding its point on surface
      const wrong = await one<{ n: number; total: number }>(
        tx,
        sql`SELECT count(*) FILTER (WHERE b.grid_id IS DISTINCT FROM (
                 SELECT g.id FROM grids g WHERE g.plan_id = ${draft.planId} AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))
                 ORDER BY g.id LIMIT 1))::int AS n, count(*)::int AS total
            FROM buildings b WHERE b.community_id = ${cid}`,
      );
      expect(Number(wrong.total)).toBeGreaterThan(100);
      expect(Number(wrong.n)).toBe(0);
      expect(result.reassigned.buildings).toBeGreaterThanOrEqual(Number(wrong.total));
      // grid_totals follow: the new grids' totals equal a recount
      const totals = await one<{ bad: number }>(
        tx,
        sql`SELECT count(*)::int AS bad FROM grids g LEFT JOIN grid_totals t ON t.grid_id = g.id
            WHERE g.plan_id = ${draft.planId} AND coalesce(t.households, 0) <> (SELECT coalesce(sum(households), 0) FROM buildings WHERE grid_id = g.id)`,
      );
      expect(Number(totals.bad)).toBe(0);

      // the open case moved to the new grid with a timeline event; the closed one stayed
      const open = await one<{ grid_id: number; version: number }>(
        tx,
        sql`SELECT grid_id, version FROM cases WHERE id = ${cases.open}`,
      );
      const closed = await one<{ grid_id: number }>(tx, sql`SELECT grid_id FROM cases WHERE id = ${cases.closed}`);
      expect(result.grids.map((g) => g.id)).toContain(Number(open.grid_id));
      expect(Number(open.version)).toBe(2);
      expect(Number(closed.grid_id)).toBe(cases.oldGrid);
      expect(result.reassigned.openCases).toBe(1);
      const events = await rows<{ reason: string; actor_role: string; from_status: string; to_status: string }>(
        tx,
        sql`SELECT reason, actor_role, from_status::text, to_status::text FROM case_events WHERE case_id = ${cases.open}`,
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.actor_role).toBe("planner");
      expect(events[0]?.from_status).toBe("dispatched");
      expect(events[0]?.reason).toContain(`方案 ${draft.planId} 发布`);

      // grid members: none left on a retired grid; each on a grid of the new plan
      const members = await one<{ stale: number; moved: number }>(
        tx,
        sql`SELECT count(*) FILTER (WHERE grid_id IN (SELECT id FROM grids WHERE valid_to IS NOT NULL))::int AS stale,
                   count(*) FILTER (WHERE grid_id IN (SELECT id FROM grids WHERE plan_id = ${draft.planId}))::int AS moved
            FROM grid_members`,
      );
      expect(Number(members.stale)).toBe(0);
      expect(Number(members.moved)).toBe(Number(membersBefore.n));
      expect(result.reassigned.gridMembers).toBe(Number(membersBefore.n));
      for (const f of result.flagged) expect(f.reason).toMatch(/was split or merged|no successor/);
      const orgsStale = await one<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM party_organizations WHERE grid_id IN (SELECT id FROM grids WHERE valid_to IS NOT NULL)`,
      );
      expect(Number(orgsStale.n)).toBe(0);

      const audit = await rows<{
        actor: string;
        actor_user_id: number;
        detail: { grids: number; retiredGrids: number };
      }>(
        tx,
        sql`SELECT actor, actor_user_id, detail FROM audit_log WHERE entity = 'plan' AND entity_id = ${String(draft.planId)} AND action = 'publish'`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor).toBe("planner");
      expect(audit[0]?.detail.grids).toBe(result.grids.length);
      expect(audit[0]?.detail.retiredGrids).toBe(oldGrids.length);

      // publishing again: not a draft any more
      expect((await planError(publishPlan(tx, draft.planId, { version: plan.version, userId }))).code).toBe(
        "not_draft",
      );

      // history: yesterday shows the old grids of the community, today the new ones
      const today = shanghaiDate();
      const yesterday = shanghaiDate(new Date(Date.now() - 86_400_000));
      const past = await getGridsOnDate(tx, yesterday, COMMUNITY);
      expect(past.features.map((f) => f.properties.code).sort()).toEqual(oldGrids.map((g) => g.code));
      expect(past.features.every((f) => f.properties.planId === 1 && f.properties.validTo !== null)).toBe(true);
      const now = await getGridsOnDate(tx, today, COMMUNITY);
      expect(now.features.map((f) => f.properties.id).sort((a, b) => a - b)).toEqual(
        result.grids.map((g) => g.id).sort((a, b) => a - b),
      );
      const city = await getGridsOnDate(tx, today);
      expect(city.features).toHaveLength(52 - oldGrids.length + result.grids.length);
    });
  });

  it("keeps the code of every unchanged grid and numbers a merged one after the highest code", async () => {
    await withTestTransaction(async (tx) => {
      const cid = await communityId(tx);
      const userId = await plannerId(tx);
      const plan = await one<{ id: number }>(
        tx,
        sql`INSERT INTO plans (name, status, community_ids, created_by) VALUES ('merge two', 'draft', ARRAY[${cid}]::int[], ${userId}) RETURNING id`,
      );
      const planId = Number(plan.id);
      await tx.execute(sql`
        INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
        SELECT code, name, community_id, ${planId}, estate_kind, household_target, geom FROM grids
        WHERE plan_id = 1 AND community_id = ${cid}`);
      // merge the two neighbours with the longest shared edge whose union is one polygon
      const pair = await one<{ a: number; b: number; a_code: string; b_code: string }>(
        tx,
        sql`SELECT x.id AS a, y.id AS b, x.code AS a_code, y.code AS b_code FROM grids x JOIN grids y ON y.plan_id = x.plan_id AND y.id > x.id
            WHERE x.plan_id = ${planId} AND ST_Intersects(x.geom, y.geom) AND ST_NumGeometries(ST_Union(x.geom, y.geom)) = 1
            ORDER BY ST_Length(ST_CollectionExtract(ST_Intersection(x.geom, y.geom), 2)::geography) DESC LIMIT 1`,
      );
      await tx.execute(
        sql`UPDATE grids SET geom = ST_Multi((SELECT ST_Union(geom) FROM grids WHERE id IN (${pair.a}, ${pair.b}))) WHERE id = ${pair.a}`,
      );
      await tx.execute(sql`DELETE FROM grids WHERE id = ${pair.b}`);
      const errors = (await getPlanDetail(tx, planId)).validation.filter((v) => v.severity === "error");
      expect(errors).toEqual([]);

      const result = await publishPlan(tx, planId, { version: 1, userId });
      const kept = result.grids.filter((g) => g.keptCode).map((g) => g.code);
      const oldCodes = await rows<{ code: string }>(
        tx,
        sql`SELECT code FROM grids WHERE plan_id = 1 AND community_id = ${cid} AND code NOT IN (${pair.a_code}, ${pair.b_code}) ORDER BY code`,
      );
      expect(kept.sort()).toEqual(oldCodes.map((c) => c.code));
      const merged = result.grids.filter((g) => !g.keptCode);
      expect(merged).toHaveLength(1);
      expect(merged[0]?.code).toBe(`${COMMUNITY}0015`);
      const name = await one<{ name: string }>(tx, sql`SELECT name FROM grids WHERE id = ${merged[0]?.id}`);
      expect(name.name).toBe("长白街社区第15网格");
      // the members of both merged grids follow it (each held ≥ 50 % of... the merged grid holds all of each)
      expect(result.flagged).toEqual([]);
    });
  });

  it("refuses a draft with validation errors (422) and changes nothing", async () => {
    await withTestTransaction(async (tx) => {
      const cid = await communityId(tx);
      const plan = await one<{ id: number }>(
        tx,
        sql`INSERT INTO plans (name, status, community_ids) VALUES ('gap', 'draft', ARRAY[${cid}]::int[]) RETURNING id`,
      );
      await tx.execute(sql`
        INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
        SELECT code, name, community_id, ${plan.id}, estate_kind, household_target, geom FROM grids
        WHERE plan_id = 1 AND community_id = ${cid} AND code <> ${`${COMMUNITY}0001`}`);
      const before = await snapshot(tx);
      const error = await planError(publishPlan(tx, Number(plan.id), { version: 1, userId: null }));
      expect(error.code).toBe("validation_failed");
      expect(error.status).toBe(422);
      const issues = (error.details as { issues: Array<{ kind: string }> }).issues;
      expect(issues.some((i) => i.kind === "gap")).toBe(true);
      expect(await snapshot(tx)).toEqual(before);
    });
  });
});

/** The tiles' ACTIVE_GRIDS (lib/tiles/layers.ts): grids of active plans still in force. */
const ACTIVE = sql`SELECT g.* FROM grids g JOIN plans p ON p.id = g.plan_id WHERE p.status = 'active' AND g.valid_to IS NULL`;

/** A draft of `communityCodes` holding copies of their grids in force (same codes and geometry). */
async function copyDraft(db: Db, communityCodes: string[], extraGridCommunities: string[] = []): Promise<number> {
  const plan = await one<{ id: number }>(
    db,
    sql`INSERT INTO plans (name, status, community_ids)
        SELECT 'copy', 'draft', array_agg(id ORDER BY id) FROM admin_areas WHERE code = ANY(${`{${communityCodes.join(",")}}`}::text[])
        RETURNING id`,
  );
  await db.execute(sql`
    INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
    SELECT g.code, g.name, g.community_id, ${plan.id}, g.estate_kind, g.household_target, g.geom FROM (${ACTIVE}) g
    JOIN admin_areas a ON a.id = g.community_id
    WHERE a.code = ANY(${`{${[...communityCodes, ...extraGridCommunities].join(",")}}`}::text[])`);
  return Number(plan.id);
}

/** Every point of every community lies in exactly one grid in force: no overlap, no gap, per community. */
async function activeCoverage(db: Db) {
  return rows<{ code: string; grids: number; overlap_m2: number; gap_m2: number; outside_m2: number }>(
    db,
    sql`WITH ag AS (${ACTIVE})
        SELECT a.code, (SELECT count(*) FROM ag WHERE ag.community_id = a.id)::int AS grids,
          coalesce((SELECT sum(ST_Area(ST_Intersection(x.geom, y.geom)::geography)) FROM ag x JOIN ag y
                    ON x.id < y.id AND x.geom && y.geom
                    WHERE x.community_id = a.id OR y.community_id = a.id), 0)::float8 AS overlap_m2,
          coalesce(ST_Area(ST_Difference(a.geom, (SELECT ST_Union(geom) FROM ag WHERE ag.geom && a.geom))::geography), 0)::float8 AS gap_m2,
          coalesce((SELECT sum(ST_Area(ST_Difference(ag.geom, a.geom)::geography)) FROM ag WHERE ag.community_id = a.id), 0)::float8 AS outside_m2
        FROM admin_areas a WHERE a.level = 'community' ORDER BY a.code`,
  );
}

/** Grids of the other communities, exactly (row, code, validity, geometry). */
async function gridsOutside(db: Db, code: string) {
  return rows(
    db,
    sql`SELECT g.id, g.plan_id, g.code, g.valid_from::text, g.valid_to::text, md5(g.geom::text) AS g FROM grids g
        JOIN admin_areas a ON a.id = g.community_id WHERE a.code <> ${code} ORDER BY g.id`,
  );
}

describe("publish: active plans, subsets and races", () => {
  it("a draft of one community of the active plan: the others stay untouched, each point has one grid in force", async () => {
    await withTestTransaction(async (tx) => {
      const before = await activeCoverage(tx);
      for (const c of before) {
        expect(c.overlap_m2).toBeLessThan(1);
        expect(c.gap_m2).toBeLessThan(1);
      }
      const others = await gridsOutside(tx, COMMUNITY);
      const cid = await communityId(tx);
      const draft = await createDraftPlan(tx, { communityIds: [cid], targets: { old: 200, new: 500 }, seed: 1 });
      const detail = await getPlanDetail(tx, draft.planId);
      await publishPlan(tx, draft.planId, { version: detail.version, userId: null });
      expect(await gridsOutside(tx, COMMUNITY)).toEqual(others);
      const after = await activeCoverage(tx);
      for (const c of after) {
        expect({ code: c.code, overlap: c.overlap_m2 < 1, gap: c.gap_m2 < 1, outside: c.outside_m2 < 1 }).toEqual({
          code: c.code,
          overlap: true,
          gap: true,
          outside: true,
        });
        const was = before.find((b) => b.code === c.code);
        if (c.code !== COMMUNITY) expect(c.grids).toBe(was?.grids);
        else expect(c.grids).toBe(detail.grids.length);
      }
      const plans = await rows<{ id: number; status: string }>(
        tx,
        sql`SELECT id, status::text AS status FROM plans WHERE id IN (1, ${draft.planId}) ORDER BY id`,
      );
      expect(plans.map((p) => p.status)).toEqual(["active", "active"]);
    });
  });

  it("a draft whose community is held by another active plan (not plan 1) retires that plan's grids", async () => {
    await withTestTransaction(async (tx) => {
      const first = await copyDraft(tx, [COMMUNITY]);
      await publishPlan(tx, first, { version: 1, userId: null });
      const second = await copyDraft(tx, [COMMUNITY]);
      const result = await publishPlan(tx, second, { version: 1, userId: null });
      expect(result.retiredGrids).toBe(14);
      expect(result.grids.every((g) => g.keptCode)).toBe(true);
      const status = await rows<{ id: number; status: string }>(
        tx,
        sql`SELECT id, status::text AS status FROM plans WHERE id IN (1, ${first}, ${second}) ORDER BY id`,
      );
      expect(status.map((p) => p.status)).toEqual(["active", "archived", "active"]);
      for (const c of await activeCoverage(tx)) {
        expect(c.overlap_m2).toBeLessThan(1);
        expect(c.gap_m2).toBeLessThan(1);
      }
    });
  });

  it("refuses a draft holding grids of a community it does not list (they would double-cover it)", async () => {
    await withTestTransaction(async (tx) => {
      const other = await one<{ code: string }>(
        tx,
        sql`SELECT code FROM admin_areas WHERE level = 'community' AND code <> ${COMMUNITY} ORDER BY code LIMIT 1`,
      );
      const draft = await copyDraft(tx, [COMMUNITY], [other.code]);
      const before = await snapshot(tx);
      const error = await planError(publishPlan(tx, draft, { version: 1, userId: null }));
      expect(error.code).toBe("validation_failed");
      expect(error.message).toContain(other.code);
      expect(await snapshot(tx)).toEqual(before);
      for (const c of await activeCoverage(tx)) expect(c.overlap_m2).toBeLessThan(1);
    });
  });

  it("refuses a draft listing a community it holds no grid of (it would be left without grids)", async () => {
    await withTestTransaction(async (tx) => {
      const other = await one<{ code: string }>(
        tx,
        sql`SELECT code FROM admin_areas WHERE level = 'community' AND code <> ${COMMUNITY} ORDER BY code LIMIT 1`,
      );
      const draft = await copyDraft(tx, [COMMUNITY, other.code]);
      await tx.execute(
        sql`DELETE FROM grids WHERE plan_id = ${draft} AND community_id = (SELECT id FROM admin_areas WHERE code = ${other.code})`,
      );
      const before = await snapshot(tx);
      const error = await planError(publishPlan(tx, draft, { version: 1, userId: null }));
      expect(error.code).toBe("validation_failed");
      expect(await snapshot(tx)).toEqual(before);
    });
  });
});

describe("grids meeting along a near-collinear edge (GEOS relate throws on them)", () => {
  it("validate, show and publish the draft without a geometry engine error", async () => {
    const fixture = nearCollinear as {
      community: string;
      grids: Array<{ code: string; name: string; estateKind: string; householdTarget: number; geom: string }>;
    };
    await withTestTransaction(async (tx) => {
      const plan = await one<{ id: number }>(
        tx,
        sql`INSERT INTO plans (name, status, community_ids)
            SELECT 'near-collinear', 'draft', ARRAY[id] FROM admin_areas WHERE code = ${fixture.community} RETURNING id`,
      );
      for (const g of fixture.grids)
        await tx.execute(sql`
          INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
          SELECT ${g.code}, ${g.name}, a.id, ${plan.id}, ${g.estateKind}::estate_kind, ${g.householdTarget}, ${g.geom}::geometry
          FROM admin_areas a WHERE a.code = ${fixture.community}`);
      const detail = await getPlanDetail(tx, Number(plan.id));
      expect(detail.grids).toHaveLength(10);
      expect(detail.validation.filter((v) => v.severity === "error")).toEqual([]);
      // the same grids at full precision import as a draft (the overlap check meets the same edge)
      const collection = await one<{ fc: unknown }>(
        tx,
        sql`SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
              'type', 'Feature', 'properties', json_build_object('code', code), 'geometry', ST_AsGeoJSON(geom, 15)::json)
              ORDER BY code)) AS fc FROM grids WHERE plan_id = ${plan.id}`,
      );
      expect((await importPlanGeoJson(tx, collection.fc, { userId: null })).grids).toBe(10);
      const result = await publishPlan(tx, Number(plan.id), { version: 1, userId: null });
      expect(result.grids).toHaveLength(10);
      for (const c of await activeCoverage(tx)) {
        expect(c.overlap_m2).toBeLessThan(1);
        expect(c.gap_m2).toBeLessThan(1);
      }
    });
  });
});

describe("publish racing an edit (separate connections)", () => {
  /** Undo a committed publish of `draft` over plan 1 (the test database is shared by the later files). */
  async function restore(draft: number, saved: Awaited<ReturnType<typeof save>>): Promise<void> {
    await testDb.transaction(async (t) => {
      const tx = t as unknown as Db;
      await tx.execute(sql`UPDATE plans SET status = 'active' WHERE id = 1`);
      await tx.execute(
        sql`UPDATE grids SET valid_to = NULL WHERE plan_id = 1 AND id = ANY(${`{${saved.active.join(",")}}`}::int[])`,
      );
      for (const table of ["buildings", "grid_members", "party_organizations", "cases"] as const) {
        const pairs = saved[table];
        await tx.execute(sql`
          UPDATE ${sql.identifier(table)} t SET grid_id = s.grid_id
          FROM (SELECT unnest(${`{${pairs.map((p) => p.id).join(",")}}`}::int[]) AS id,
                       unnest(${`{${pairs.map((p) => p.grid_id ?? "NULL").join(",")}}`}::int[]) AS grid_id) s
          WHERE s.id = t.id AND t.grid_id IS DISTINCT FROM s.grid_id`);
      }
      await tx.execute(sql`DELETE FROM case_events WHERE id > ${saved.maxEvent}`);
      await tx.execute(sql`DELETE FROM plans WHERE id = ${draft}`);
    });
  }

  async function save() {
    const pairs = (table: string) =>
      rows<{ id: number; grid_id: number | null }>(
        testDb,
        sql`SELECT id, grid_id FROM ${sql.identifier(table)} ORDER BY id`,
      );
    return {
      active: (
        await rows<{ id: number }>(testDb, sql`SELECT id FROM grids WHERE plan_id = 1 AND valid_to IS NULL`)
      ).map((r) => Number(r.id)),
      buildings: await pairs("buildings"),
      grid_members: await pairs("grid_members"),
      party_organizations: await pairs("party_organizations"),
      cases: await pairs("cases"),
      maxEvent: Number((await one<{ n: number }>(testDb, sql`SELECT coalesce(max(id), 0) AS n FROM case_events`)).n),
    };
  }

  for (const first of ["publish", "edit"] as const)
    it(`exactly one wins cleanly (${first} sent first)`, async () => {
      const saved = await save();
      const draft = await copyDraft(testDb, [COMMUNITY]);
      try {
        const grid = await one<{ id: number; x: number; y0: number; y1: number }>(
          testDb,
          sql`SELECT id, ST_X(ST_PointOnSurface(geom)) AS x, ST_YMin(geom) - 0.0002 AS y0, ST_YMax(geom) + 0.0002 AS y1
              FROM grids WHERE plan_id = ${draft} AND code = ${`${COMMUNITY}0007`}`,
        );
        const line: [number, number][] = [
          [Number(grid.x), Number(grid.y0)],
          [Number(grid.x), Number(grid.y1)],
        ];
        const publish = () => publishPlan(testDb, draft, { version: 1, userId: null });
        const edit = () =>
          applyPlanEdit(
            testDb,
            draft,
            { op: "split", version: 1, gridId: Number(grid.id), line },
            {
              userId: null,
              role: "planner",
            },
          );
        const settled =
          first === "publish"
            ? await Promise.allSettled([publish(), edit()])
            : (await Promise.allSettled([edit(), publish()])).reverse();
        const [p, e] = settled as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
        expect([p.status, e.status].filter((s) => s === "fulfilled")).toHaveLength(1);
        const loser = (p.status === "rejected" ? p.reason : (e as PromiseRejectedResult).reason) as unknown;
        expect(loser).toBeInstanceOf(PlanError);
        const plan = await one<{ status: string; version: number }>(
          testDb,
          sql`SELECT status::text AS status, version FROM plans WHERE id = ${draft}`,
        );
        const edits = await rows(testDb, sql`SELECT id FROM plan_edits WHERE plan_id = ${draft}`);
        const grids = await one<{ n: number }>(
          testDb,
          sql`SELECT count(*)::int AS n FROM grids WHERE plan_id = ${draft}`,
        );
        if (p.status === "fulfilled") {
          expect((loser as PlanError).code).toBe("not_draft");
          expect(plan).toEqual({ status: "active", version: 2 });
          expect(edits).toHaveLength(0);
          expect(Number(grids.n)).toBe(14);
        } else {
          expect((loser as PlanError).code).toBe("stale_version");
          expect(plan).toEqual({ status: "draft", version: 2 });
          expect(edits).toHaveLength(1);
          expect(Number(grids.n)).toBe(15);
          expect(saved.active.length).toBe(52);
        }
        for (const c of await activeCoverage(testDb)) expect(c.overlap_m2).toBeLessThan(1);
      } finally {
        await restore(draft, saved);
      }
      expect(Number((await one<{ n: number }>(testDb, sql`SELECT count(*)::int AS n FROM (${ACTIVE}) a`)).n)).toBe(52);
    });
});

describe("history dates", () => {
  it("accepts past days and today, refuses bad and future dates", () => {
    expect(parseHistoryDate("2026-01-31", "2026-11-22")).toBe("2026-01-31");
    expect(parseHistoryDate("2026-11-22", "2026-11-22")).toBe("2026-11-22");
    expect(() => parseHistoryDate("2026-11-23", "2026-11-22")).toThrow(/in the future/);
    expect(() => parseHistoryDate("2026-02-30", "2026-11-22")).toThrow(/invalid date "2026-02-30"/);
    expect(() => parseHistoryDate("yesterday", "2026-11-22")).toThrow(/YYYY-MM-DD/);
    expect(() => parseHistoryDate("", "2026-11-22")).toThrow(/date is required/);
  });
});
