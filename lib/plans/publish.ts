/**
 * Plan lifecycle writes: publish a draft (one transaction: retire the active grids of its communities, number the
 * new grids, re-assign buildings, open cases, grid members and party organisations, audit) and delete a draft.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import type { PublishResponse } from "./contract";
import { PlanError, staleVersion } from "./errors";
import { validatePlan } from "./validate";

/** A retired grid's successor must hold at least this share of it, else its people are flagged for the planner. */
export const SUCCESSOR_MIN_SHARE = 0.5;
/** A draft grid within this symmetric difference (m²) of a retired grid of its community keeps that grid's code. */
export const SAME_GEOMETRY_M2 = 1;

/** Transaction-level advisory lock key that serialises publishes ("wang" + 1). */
export const PUBLISH_LOCK_KEY = 0x7761_6e67_0001;

const intArray = (values: readonly number[]) => `{${values.map((v) => String(Math.trunc(v))).join(",")}}`;
const textArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

type LockedPlan = { id: number; name: string; status: string; version: number; community_ids: number[] };

/** Lock the plan row (FOR UPDATE) and check it is a draft; unknown → not_found, otherwise → not_draft. */
async function lockDraft(tx: Db, planId: number, action: string): Promise<LockedPlan> {
  const [plan] = await rows<LockedPlan>(
    tx,
    sql`SELECT id, name, status::text AS status, version, community_ids FROM plans WHERE id = ${planId} FOR UPDATE`,
  );
  if (!plan) throw new PlanError("not_found", `plan ${planId} not found`);
  if (plan.status !== "draft")
    throw new PlanError("not_draft", `plan ${planId} is ${plan.status}, only a draft can be ${action}`, {
      status: plan.status,
    });
  return plan;
}

/** The acting user's role (audit `actor`, case event `actor_role`). */
async function actorRole(tx: Db, userId: number | null): Promise<string> {
  if (userId === null) return "system";
  const [user] = await rows<{ role: string }>(tx, sql`SELECT role::text AS role FROM users WHERE id = ${userId}`);
  if (!user) throw new PlanError("bad_input", `user ${userId} not found`);
  return user.role;
}

export interface PublishOptions {
  version: number;
  userId: number | null;
}

/**
 * Publish a draft. Refused (nothing written) when the plan is not a draft (409 not_draft), the version is not the
 * current one (409 stale_version) or validation finds errors (422 validation_failed, the issues in `details.issues`).
 */
export async function publishPlan(db: Db, planId: number, options: PublishOptions): Promise<PublishResponse> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db; // safe: a drizzle transaction exposes the query API of the database handle
    // one publish at a time: two drafts of one community published together would each miss the other's new grids
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK_KEY}::bigint)`);
    const plan = await lockDraft(tx, planId, "published");
    if (Number(plan.version) !== options.version) throw staleVersion(planId, options.version, Number(plan.version));
    const communityIds = (plan.community_ids ?? []).map(Number);
    const [count] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM grids WHERE plan_id = ${planId}`);
    if (communityIds.length === 0 || Number(count?.n ?? 0) === 0)
      throw new PlanError("validation_failed", `plan ${planId} has no grids to publish`, { issues: [] });
    const errors = (await validatePlan(tx, planId)).filter((issue) => issue.severity === "error");
    if (errors.length > 0)
      throw new PlanError(
        "validation_failed",
        `plan ${planId} cannot be published: ${errors.length} validation error${errors.length > 1 ? "s" : ""} (first: ${errors[0]?.message})`,
        { issues: errors },
      );
    const role = await actorRole(tx, options.userId);
    const ids = intArray(communityIds);
    const [{ now } = { now: "" }] = await rows<{ now: string }>(
      tx,
      sql`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
    );

    // 1. retire the current grids of these communities (any active plan)
    const retired = await rows<{ id: number; plan_id: number }>(
      tx,
      sql`UPDATE grids g SET valid_to = now(), updated_at = now()
          FROM plans p
          WHERE p.id = g.plan_id AND p.status = 'active' AND g.valid_to IS NULL AND g.plan_id <> ${planId}
            AND g.community_id = ANY(${ids}::int[])
          RETURNING g.id, g.plan_id`,
    );
    const retiredIds = intArray(retired.map((r) => Number(r.id)));

    // 2. codes: unchanged geometry keeps the retired grid's code; the rest continue after the highest sequence ever
    //    published in the community, west→east then north→south
    const assigned = await rows<{ id: number; code: string; kept: boolean; name: string; seq: number }>(
      tx,
      sql`WITH d AS (
            SELECT g.id, g.community_id, g.geom, ST_PointOnSurface(g.geom) AS pt, ST_Area(g.geom::geography) AS area
            FROM grids g WHERE g.plan_id = ${planId}
          ), kept AS (
            SELECT DISTINCT ON (d.id) d.id, r.code
            FROM d JOIN grids r ON r.id = ANY(${retiredIds}::int[]) AND r.community_id = d.community_id AND r.geom && d.geom
            WHERE abs(ST_Area(r.geom::geography) - d.area) < ${SAME_GEOMETRY_M2}::float8
              AND ST_Area(ST_SymDifference(r.geom, d.geom)::geography) < ${SAME_GEOMETRY_M2}::float8
            ORDER BY d.id, ST_Area(ST_SymDifference(r.geom, d.geom)::geography), r.id
          ), base AS (
            SELECT a.id, a.code, a.name, coalesce((
              SELECT max(right(g.code, 4)::int) FROM grids g JOIN plans p ON p.id = g.plan_id
              WHERE p.status <> 'draft' AND left(g.code, 12) = a.code), 0) AS maxseq
            FROM admin_areas a WHERE a.id IN (SELECT community_id FROM d)
          ), fresh AS (
            SELECT d.id, b.code AS prefix, b.maxseq + row_number() OVER (
                PARTITION BY d.community_id ORDER BY ST_X(d.pt), ST_Y(d.pt) DESC, d.id) AS seq
            FROM d JOIN base b ON b.id = d.community_id WHERE d.id NOT IN (SELECT id FROM kept)
          )
          SELECT d.id, coalesce(k.code, f.prefix || lpad(f.seq::text, 4, '0')) AS code, k.code IS NOT NULL AS kept,
            b.name || '第' || coalesce(right(k.code, 4)::int, f.seq) || '网格' AS name, coalesce(f.seq, 0) AS seq
          FROM d JOIN base b ON b.id = d.community_id LEFT JOIN kept k ON k.id = d.id LEFT JOIN fresh f ON f.id = d.id
          ORDER BY 2`,
    );
    const overflow = assigned.find((g) => Number(g.seq) > 9999);
    if (overflow)
      throw new PlanError(
        "validation_failed",
        `community ${overflow.code.slice(0, 12)} has used up its 9999 grid sequence numbers`,
        { issues: [] },
      );
    // temporary codes first: (plan_id, code) is unique and a kept code may equal another grid's current draft code
    await tx.execute(sql`UPDATE grids SET code = '99' || lpad(id::text, 14, '0') WHERE plan_id = ${planId}`);
    await tx.execute(
      sql`UPDATE grids g SET code = a.code, name = a.name, valid_from = now(), valid_to = NULL, updated_at = now()
          FROM (SELECT unnest(${intArray(assigned.map((g) => Number(g.id)))}::int[]) AS id,
                       unnest(${textArray(assigned.map((g) => g.code))}::text[]) AS code,
                       unnest(${textArray(assigned.map((g) => g.name))}::text[]) AS name) a
          WHERE g.id = a.id AND g.plan_id = ${planId}`,
    );

    // 3. the draft becomes the active plan; plans left without a current grid are archived
    await tx.execute(
      sql`UPDATE plans SET status = 'active', published_by = ${options.userId}, published_at = now(),
            version = version + 1, updated_at = now() WHERE id = ${planId}`,
    );
    const archived = await rows<{ id: number }>(
      tx,
      sql`UPDATE plans p SET status = 'archived', updated_at = now()
          WHERE p.status = 'active' AND p.id <> ${planId}
            AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.plan_id = p.id AND g.valid_to IS NULL)
          RETURNING p.id`,
    );

    // 4. buildings: the current grid holding the point on surface (grid_totals follow by trigger)
    const currentGrid = (point: ReturnType<typeof sql>) => sql`(
      SELECT g.id FROM grids g JOIN plans p ON p.id = g.plan_id
      WHERE p.status = 'active' AND g.valid_to IS NULL AND g.geom && ${point} AND ST_Intersects(g.geom, ${point})
      ORDER BY (g.plan_id = ${planId}) DESC, g.id LIMIT 1)`;
    const extent = sql`(SELECT ST_Extent(geom) FROM grids WHERE plan_id = ${planId})`;
    const buildings = await tx.execute(
      sql`WITH t AS (
            SELECT b.id, ${currentGrid(sql`x.pt`)} AS grid_id
            FROM buildings b CROSS JOIN LATERAL (SELECT ST_PointOnSurface(b.geom) AS pt) x
            WHERE b.grid_id = ANY(${retiredIds}::int[]) OR b.geom && ${extent}
          )
          UPDATE buildings b SET grid_id = t.grid_id, updated_at = now()
          FROM t WHERE t.id = b.id AND b.grid_id IS DISTINCT FROM t.grid_id`,
    );

    // 5. open cases by their location, one case_events row each (status unchanged, the reason says why)
    const cases = await tx.execute(
      sql`WITH t AS (
            SELECT c.id, c.status, c.grid_id AS old_grid, ${currentGrid(sql`c.location`)} AS new_grid
            FROM cases c
            WHERE c.status NOT IN ('closed', 'rejected')
              AND (c.grid_id = ANY(${retiredIds}::int[]) OR c.location && ${extent})
          ), u AS (
            UPDATE cases c SET grid_id = t.new_grid, version = c.version + 1, updated_at = now()
            FROM t WHERE t.id = c.id AND t.old_grid IS DISTINCT FROM t.new_grid
            RETURNING c.id, t.status, t.old_grid, t.new_grid
          )
          INSERT INTO case_events (case_id, actor_user_id, actor_role, from_status, to_status, reason)
          SELECT u.id, ${options.userId}, ${role}, u.status, u.status,
            '网格调整：方案 ' || ${planId}::int || ' 发布，网格 ' || coalesce(og.code, '无') || ' → ' || coalesce(ng.code, '无')
          FROM u LEFT JOIN grids og ON og.id = u.old_grid LEFT JOIN grids ng ON ng.id = u.new_grid`,
    );

    // 6. successor of each retired grid: the new grid holding the largest share of it
    const successors = await rows<{
      old_id: number;
      old_code: string;
      new_id: number | null;
      new_code: string | null;
      share: number;
    }>(
      tx,
      sql`SELECT o.id AS old_id, o.code AS old_code, s.id AS new_id, s.code AS new_code, coalesce(s.share, 0)::float8 AS share
          FROM grids o
          LEFT JOIN LATERAL (
            -- shares by overlay, no relate predicate (GEOS 3.11's throws on near-collinear edges left by hand edits)
            SELECT g.id, g.code, ST_Area(ST_Intersection(g.geom, o.geom)::geography) / nullif(ST_Area(o.geom::geography), 0) AS share
            FROM grids g WHERE g.plan_id = ${planId} AND g.geom && o.geom
            ORDER BY 3 DESC NULLS LAST, g.id LIMIT 1
          ) s ON s.share > 0
          WHERE o.id = ANY(${retiredIds}::int[])`,
    );
    const successorOf = new Map(successors.map((s) => [Number(s.old_id), s]));
    const withSuccessor = successors.filter((s) => s.new_id !== null);
    const mapping = sql`(SELECT unnest(${intArray(withSuccessor.map((s) => Number(s.old_id)))}::int[]) AS old_id,
                               unnest(${intArray(withSuccessor.map((s) => Number(s.new_id)))}::int[]) AS new_id)`;
    const flagged: PublishResponse["flagged"] = [];
    const flag = (kind: "grid_member" | "party_organization", id: number, name: string, oldGrid: number) => {
      const s = successorOf.get(oldGrid);
      if (!s) return;
      if (s.new_id === null)
        flagged.push({
          kind,
          id,
          name,
          reason: `grid ${s.old_code} has no successor in plan ${planId}: reassign by hand`,
        });
      else if (Number(s.share) < SUCCESSOR_MIN_SHARE)
        flagged.push({
          kind,
          id,
          name,
          reason: `grid ${s.old_code} was split or merged: moved to ${s.new_code}, which holds only ${Math.round(Number(s.share) * 100)} % of it`,
        });
    };

    const members = await rows<{ id: number; name: string; old_grid: number }>(
      tx,
      sql`WITH t AS (SELECT m.id, m.grid_id AS old_grid, x.new_id FROM grid_members m JOIN ${mapping} x ON x.old_id = m.grid_id)
          UPDATE grid_members m SET grid_id = t.new_id, updated_at = now() FROM t WHERE t.id = m.id
          RETURNING m.id, m.name, t.old_grid`,
    );
    for (const m of members) flag("grid_member", Number(m.id), m.name, Number(m.old_grid));
    const stranded = await rows<{ id: number; name: string; grid_id: number }>(
      tx,
      sql`SELECT id, name, grid_id FROM grid_members WHERE grid_id = ANY(${retiredIds}::int[]) ORDER BY id`,
    );
    for (const m of stranded) flag("grid_member", Number(m.id), m.name, Number(m.grid_id));

    // party organisations: a home building decides (党员中心户); the others follow their grid's successor
    const orgs = await rows<{ id: number; name: string; old_grid: number | null; by_building: boolean }>(
      tx,
      sql`WITH t AS (
            SELECT o.id, o.grid_id AS old_grid,
              CASE WHEN b.id IS NOT NULL THEN b.grid_id ELSE x.new_id END AS new_grid, b.id IS NOT NULL AS by_building
            FROM party_organizations o
            LEFT JOIN buildings b ON b.id = o.building_id
            LEFT JOIN ${mapping} x ON x.old_id = o.grid_id
            WHERE o.grid_id = ANY(${retiredIds}::int[])
               OR (b.id IS NOT NULL AND (b.community_id = ANY(${ids}::int[]) OR b.grid_id IS NULL))
          )
          UPDATE party_organizations o SET grid_id = t.new_grid, updated_at = now()
          FROM t WHERE t.id = o.id AND t.new_grid IS NOT NULL AND o.grid_id IS DISTINCT FROM t.new_grid
          RETURNING o.id, o.name, t.old_grid, t.by_building`,
    );
    for (const o of orgs)
      if (!o.by_building && o.old_grid !== null) flag("party_organization", Number(o.id), o.name, Number(o.old_grid));
    const strandedOrgs = await rows<{ id: number; name: string; grid_id: number }>(
      tx,
      sql`SELECT id, name, grid_id FROM party_organizations WHERE grid_id = ANY(${retiredIds}::int[]) ORDER BY id`,
    );
    for (const o of strandedOrgs) flag("party_organization", Number(o.id), o.name, Number(o.grid_id));

    const result: PublishResponse = {
      planId,
      publishedAt: now,
      retiredGrids: retired.length,
      grids: assigned.map((g) => ({ id: Number(g.id), code: g.code, keptCode: Boolean(g.kept) })),
      reassigned: {
        buildings: buildings.rowCount ?? 0,
        openCases: cases.rowCount ?? 0,
        gridMembers: members.length,
        partyOrganizations: orgs.length,
      },
      flagged,
    };
    await tx.execute(
      sql`INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, detail)
          VALUES (${options.userId}, ${role}, 'publish', 'plan', ${String(planId)}, ${JSON.stringify({
            name: plan.name,
            version: Number(plan.version) + 1,
            communityIds,
            grids: result.grids.length,
            keptCodes: result.grids.filter((g) => g.keptCode).length,
            retiredGrids: result.retiredGrids,
            retiredPlans: [...new Set(retired.map((r) => Number(r.plan_id)))],
            archivedPlans: archived.map((a) => Number(a.id)),
            reassigned: result.reassigned,
            flagged: flagged.length,
          })}::jsonb)`,
    );
    return result;
  });
}

/** Delete a draft and its grids and edits (an active or archived plan is history: 409 not_draft). Audited. */
export async function deleteDraftPlan(db: Db, planId: number, options: { userId: number | null }): Promise<void> {
  await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db; // safe: a drizzle transaction exposes the query API of the database handle
    const plan = await lockDraft(tx, planId, "deleted");
    const role = await actorRole(tx, options.userId);
    const [grids] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM grids WHERE plan_id = ${planId}`);
    await tx.execute(sql`DELETE FROM plans WHERE id = ${planId}`);
    await tx.execute(
      sql`INSERT INTO audit_log (actor_user_id, actor, action, entity, entity_id, detail)
          VALUES (${options.userId}, ${role}, 'delete', 'plan', ${String(planId)},
                  ${JSON.stringify({ name: plan.name, version: Number(plan.version), grids: Number(grids?.n ?? 0) })}::jsonb)`,
    );
  });
}
