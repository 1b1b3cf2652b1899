import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/index";
import { getCommunityFeature, listCommunities } from "@/lib/plans/communities";
import type { PlanGeoJson } from "@/lib/plans/contract";
import { PlanError } from "@/lib/plans/errors";
import { getPlanGeoJson, importPlanGeoJson } from "@/lib/plans/geojson";
import { deleteDraftPlan } from "@/lib/plans/publish";
import { getPlanDetail, listPlans } from "@/lib/plans/queries";
import { validatePlan } from "@/lib/plans/validate";
import { testDb, withTestTransaction } from "./helpers";

// Route handlers run against the test database with a stand-in session (role checks as in lib/auth/require-role).
const session = vi.hoisted(() => ({ user: undefined as { id: number; name: string; role: string } | undefined }));
vi.mock("@/db", async () => ({ db: (await import("./helpers")).testDb }));
vi.mock("@/lib/auth/require-role", () => ({
  requireApiRole: async (...roles: string[]) => {
    const user = session.user;
    if (!user) return { ok: false, response: Response.json({ error: "unauthorized" }, { status: 401 }) };
    if (roles.length > 0 && !roles.includes(user.role))
      return { ok: false, response: Response.json({ error: "forbidden" }, { status: 403 }) };
    return { ok: true, user };
  },
}));

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

async function planCount(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM plans`);
  return Number(r?.n);
}

/** A draft holding a copy of plan 1's grids of one community (same codes, same geometry). */
async function copyCommunity(db: Db, communityId: number): Promise<number> {
  const [plan] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO plans (name, status, community_ids) VALUES ('copy', 'draft', ARRAY[${communityId}]::int[]) RETURNING id`,
  );
  const planId = Number(plan?.id);
  await db.execute(sql`
    INSERT INTO grids (code, name, community_id, plan_id, estate_kind, household_target, geom)
    SELECT code, name, community_id, ${planId}, estate_kind, household_target, geom FROM grids
    WHERE plan_id = 1 AND community_id = ${communityId}`);
  return planId;
}

async function communityId(db: Db, code: string): Promise<number> {
  const [r] = await rows<{ id: number }>(db, sql`SELECT id FROM admin_areas WHERE code = ${code}`);
  return Number(r?.id);
}

/** The message and every listed problem of an import error. */
function errorText(error: PlanError): string {
  const listed = (error.details as { errors?: Array<{ message: string }> } | undefined)?.errors ?? [];
  return [error.message, ...listed.map((e) => e.message)].join("\n");
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

describe("communities", () => {
  it("lists every community with households, buildings and active grids matching a direct recount", async () => {
    const list = await listCommunities(testDb);
    const recount = await rows<{ id: number; households: number; buildings: number; grids: number }>(
      testDb,
      sql`SELECT a.id,
            (SELECT coalesce(sum(households), 0) FROM buildings b WHERE b.community_id = a.id)::int AS households,
            (SELECT count(*) FROM buildings b WHERE b.community_id = a.id)::int AS buildings,
            (SELECT count(*) FROM grids g WHERE g.community_id = a.id AND g.plan_id = 1)::int AS grids
          FROM admin_areas a WHERE a.level = 'community' ORDER BY a.code`,
    );
    expect(list.map((c) => c.id)).toEqual(recount.map((r) => Number(r.id)));
    for (const [i, c] of list.entries()) {
      expect(c.households).toBe(Number(recount[i]?.households));
      expect(c.buildings).toBe(Number(recount[i]?.buildings));
      expect(c.activeGrids).toBe(Number(recount[i]?.grids));
      expect(c.code).toMatch(/^[0-9]{12}$/);
    }
    expect(list.reduce((s, c) => s + c.activeGrids, 0)).toBe(52);
    expect(list.reduce((s, c) => s + c.buildings, 0)).toBe(1275);
  });

  it("answers one community by id or code, and refuses bad or unknown ones", async () => {
    const [first] = await listCommunities(testDb);
    if (!first) throw new Error("no community");
    const byCode = await getCommunityFeature(testDb, first.code);
    const byId = await getCommunityFeature(testDb, String(first.id));
    expect(byCode.properties).toEqual(first);
    expect(byId.properties).toEqual(first);
    expect(["Polygon", "MultiPolygon"]).toContain(byCode.geometry.type);
    expect((await planError(getCommunityFeature(testDb, "abc"))).status).toBe(400);
    expect((await planError(getCommunityFeature(testDb, "999999999999"))).status).toBe(404);
  });
});

describe("plan detail and validation", () => {
  it("gives plan 1 with 52 grids, spatial stats matching grid_totals and no gap or overlap", async () => {
    const detail = await getPlanDetail(testDb, 1);
    expect(detail.status).toBe("active");
    expect(detail.grids).toHaveLength(52);
    expect(detail.totals.grids).toBe(52);
    const totals = await rows<{ grid_id: number; households: number; building_count: number }>(
      testDb,
      sql`SELECT grid_id, households::int, building_count FROM grid_totals WHERE grid_id IN (SELECT id FROM grids WHERE plan_id = 1)`,
    );
    const byGrid = new Map(totals.map((t) => [Number(t.grid_id), t]));
    for (const g of detail.grids) {
      expect(g.households).toBe(Number(byGrid.get(g.id)?.households ?? 0));
      expect(g.buildings).toBe(Number(byGrid.get(g.id)?.building_count ?? 0));
      expect(g.parts).toBe(1);
      expect(g.compactness).toBeGreaterThan(0);
      expect(g.compactness).toBeLessThanOrEqual(1);
      expect(g.deviation).toBeCloseTo((g.households - g.target) / g.target, 3);
    }
    expect(detail.totals.households).toBe(13680);
    // the derivation keeps every building whole in one grid: no error of any kind
    expect(detail.validation.filter((v) => v.severity === "error")).toEqual([]);
    expect(detail.canUndo).toBe(false);
    expect(detail.canRedo).toBe(false);
    const t0 = performance.now();
    await getPlanDetail(testDb, 1);
    expect(performance.now() - t0).toBeLessThan(1000); // ≈ 60 ms on an idle machine; generous for a shared CI box
  });

  it("lists plans drafts first with display names", async () => {
    await withTestTransaction(async (tx) => {
      const draft = await copyCommunity(tx, await communityId(tx, "320104001002"));
      const list = await listPlans(tx);
      expect(list[0]?.id).toBe(draft);
      expect(list[0]?.status).toBe("draft");
      expect(list.find((p) => p.id === 1)?.gridCount).toBe(52);
    });
  });

  it("finds a planted gap and overlap in a copied draft, naming the grids", async () => {
    await withTestTransaction(async (tx) => {
      const cid = await communityId(tx, "320104001002");
      const draft = await copyCommunity(tx, cid);
      expect((await validatePlan(tx, draft)).filter((v) => v.severity === "error")).toEqual([]);
      // a grid on the community edge that has neighbours
      const [a] = await rows<{ id: number; code: string }>(
        tx,
        sql`SELECT g.id, g.code FROM grids g JOIN admin_areas c ON c.id = g.community_id
            WHERE g.plan_id = ${draft} AND ST_Intersects(ST_Boundary(g.geom), ST_Boundary(c.geom))
            ORDER BY g.code LIMIT 1`,
      );
      if (!a) throw new Error("no grid");
      // shrink one grid by 3 m (a gap appears at the community edge and between it and its neighbours)
      await tx.execute(
        sql`UPDATE grids SET geom = ST_Multi(ST_Buffer(geom::geography, -3)::geometry) WHERE id = ${a.id}`,
      );
      let issues = await validatePlan(tx, draft);
      const gaps = issues.filter((v) => v.kind === "gap");
      expect(gaps.length).toBeGreaterThan(0);
      expect(gaps[0]?.severity).toBe("error");
      expect(gaps[0]?.message).toMatch(/m² of .*320104001002.* is covered by no grid/);
      expect(gaps[0]?.bbox[0]).toBeLessThan(gaps[0]?.bbox[2] ?? 0);
      // enlarge it by 8 m instead: overlaps with its neighbours and reaches outside the community
      await tx.execute(
        sql`UPDATE grids g SET geom = ST_Multi(ST_Buffer(o.geom::geography, 8)::geometry)
            FROM grids o WHERE g.id = ${a.id} AND o.plan_id = 1 AND o.code = ${a.code}`,
      );
      issues = await validatePlan(tx, draft);
      const overlaps = issues.filter((v) => v.kind === "overlap");
      expect(overlaps.length).toBeGreaterThan(0);
      expect(overlaps.every((o) => o.gridIds.includes(Number(a.id)) && o.gridIds.length === 2)).toBe(true);
      expect(overlaps[0]?.message).toContain(a.code);
      expect(overlaps[0]?.geometry.type).toMatch(/Polygon/);
      expect(issues.some((v) => v.kind === "outside_community" && v.gridIds[0] === Number(a.id))).toBe(true);
      expect(issues.some((v) => v.kind === "split_building" && v.buildingId !== undefined)).toBe(true);
    });
  });
});

describe("GeoJSON export and import", () => {
  it("exports plan 1 and re-imports it as a valid draft with the same codes", async () => {
    const exported = await getPlanGeoJson(testDb, 1);
    expect(exported.type).toBe("FeatureCollection");
    expect(exported.features).toHaveLength(52);
    const first = exported.features[0];
    expect(first?.geometry.type).toBe("MultiPolygon");
    expect(Object.keys(first?.properties ?? {}).sort()).toEqual(
      ["buildings", "code", "community", "deviation", "households", "id", "name", "target"].sort(),
    );
    const decimals =
      JSON.stringify(exported)
        .match(/\d+\.(\d+)/g)
        ?.map((n) => n.split(".")[1]?.length ?? 0) ?? [];
    expect(Math.max(...decimals)).toBeLessThanOrEqual(7);
    await withTestTransaction(async (tx) => {
      const before = await planCount(tx);
      const { planId, grids } = await importPlanGeoJson(
        tx,
        { name: "round trip", featureCollection: exported },
        { userId: null },
      );
      expect(grids).toBe(52);
      expect(await planCount(tx)).toBe(before + 1);
      const detail = await getPlanDetail(tx, planId);
      expect(detail.status).toBe("draft");
      expect(detail.name).toBe("round trip");
      expect(detail.grids.map((g) => g.code)).toEqual(exported.features.map((f) => f.properties.code).sort());
      expect(detail.validation.filter((v) => v.severity === "error" && v.kind !== "split_building")).toEqual([]);
      expect(detail.totals.households).toBe(13680);
      const audit = await rows<{ action: string }>(
        tx,
        sql`SELECT action FROM audit_log WHERE entity = 'plan' AND entity_id = ${String(planId)}`,
      );
      expect(audit.map((a) => a.action)).toEqual(["import"]);
      // a draft can be deleted (audited); the active plan cannot
      await deleteDraftPlan(tx, planId, { userId: null });
      expect(await planCount(tx)).toBe(before);
      expect((await planError(deleteDraftPlan(tx, 1, { userId: null }))).code).toBe("not_draft");
    });
  });

  /** Import `collection` and expect a PlanError whose message matches; no plan row may be added. */
  async function expectRefused(collection: unknown, pattern: RegExp, status = 400): Promise<PlanError> {
    return withTestTransaction(async (tx) => {
      const before = await planCount(tx);
      const error = await planError(importPlanGeoJson(tx, collection, { userId: null }));
      expect(errorText(error)).toMatch(pattern);
      expect(error.status).toBe(status);
      expect(await planCount(tx)).toBe(before);
      return error;
    });
  }

  async function communityCollection(code: string): Promise<PlanGeoJson> {
    const exported = await getPlanGeoJson(testDb, 1);
    return { ...exported, features: exported.features.filter((f) => f.properties.community === code) };
  }

  it("refuses a self-intersecting polygon, naming the feature", async () => {
    const fc = await communityCollection("320104001002");
    const [x, y] = [118.79, 32.03];
    const bowtie = {
      type: "Polygon",
      coordinates: [
        [
          [x, y],
          [x + 0.001, y + 0.001],
          [x + 0.001, y],
          [x, y + 0.001],
          [x, y],
        ],
      ],
    };
    const features = [...fc.features, { type: "Feature", properties: { code: "bad-1" }, geometry: bowtie }];
    const error = await expectRefused(
      { ...fc, features },
      /feature 14 \(bad-1\) has an invalid geometry: Self-intersection/,
    );
    expect(error.code).toBe("invalid_geometry");
  });

  it("refuses projected coordinates and a foreign crs", async () => {
    const fc = await communityCollection("320104001002");
    const projected = {
      ...fc,
      features: fc.features.map((f, i) =>
        i === 2
          ? {
              ...f,
              geometry: {
                type: "Polygon",
                coordinates: [
                  [
                    [13224000, 3760000],
                    [13224100, 3760000],
                    [13224100, 3760100],
                    [13224000, 3760000],
                  ],
                ],
              },
            }
          : f,
      ),
    };
    const error = await expectRefused(projected, /feature 2 \(\d{16}\) .*looks like a projected CRS/);
    expect(error.code).toBe("invalid_geometry");
    await expectRefused(
      { ...fc, crs: { type: "name", properties: { name: "EPSG:3857" } } },
      /unsupported crs "EPSG:3857"/,
    );
    await expectRefused({ type: "Feature", geometry: null }, /not a GeoJSON FeatureCollection/);
  });

  it("refuses missing coverage and overlapping features, naming the community and both features", async () => {
    const fc = await communityCollection("320104001002");
    const missing = { ...fc, features: fc.features.slice(1) };
    await expectRefused(missing, /do not cover community 长白街社区 \(320104001002\): [0-9.]+ m² is left uncovered/);
    const a = fc.features[3];
    const b = fc.features[4];
    if (!a || !b) throw new Error("too few features");
    // feature 3 takes the whole community extent's neighbour: give it feature 4's geometry too
    const merged = {
      type: "MultiPolygon",
      coordinates: [...a.geometry.coordinates, ...b.geometry.coordinates],
    };
    const overlapping = {
      ...fc,
      features: fc.features.map((f, i) => (i === 3 ? { ...f, geometry: merged } : f)),
    };
    await withTestTransaction(async (tx) => {
      const before = await planCount(tx);
      const error = await planError(importPlanGeoJson(tx, overlapping, { userId: null }));
      // the merged multipolygon of two neighbours is invalid (shared edge) or overlaps feature 4
      expect(errorText(error)).toMatch(/feature 3 \(\d{16}\)/);
      expect(await planCount(tx)).toBe(before);
    });
    const shifted = {
      ...fc,
      features: fc.features.map((f, i) =>
        i === 4
          ? {
              ...f,
              geometry: {
                type: "MultiPolygon",
                coordinates: f.geometry.coordinates.map((poly) =>
                  poly.map((ring) => ring.map(([lng, lat]) => [(lng ?? 0) + 0.0001, lat ?? 0])),
                ),
              },
            }
          : f,
      ),
    };
    await expectRefused(shifted, /feature \d+ \(\d{16}\) and feature \d+ \(\d{16}\) overlap by [0-9.]+ m²/);
  });
});

describe("import: hostile input", () => {
  it("accepts positions with a height (x, y, z) and stores 2D grids", async () => {
    const exported = await getPlanGeoJson(testDb, 1);
    const fc = {
      ...exported,
      features: exported.features
        .filter((f) => f.properties.community === "320104001002")
        .map((f) => ({
          ...f,
          geometry: {
            type: "MultiPolygon",
            coordinates: f.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x, y, 12.5]))),
          },
        })),
    };
    await withTestTransaction(async (tx) => {
      const { planId, grids } = await importPlanGeoJson(tx, fc, { userId: null });
      expect(grids).toBe(14);
      const [dims] = await rows<{ d: number }>(
        tx,
        sql`SELECT max(ST_NDims(geom))::int AS d FROM grids WHERE plan_id = ${planId}`,
      );
      expect(Number(dims?.d)).toBe(2);
    });
  });
});

describe("routes", () => {
  const params = (id: string) => ({ params: Promise.resolve({ id }) });
  const json = (body: unknown) =>
    new Request("http://test/api", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });

  async function signIn(role: string): Promise<void> {
    const [user] = await rows<{ id: number; display_name: string }>(
      testDb,
      sql`SELECT id, display_name FROM users WHERE role = ${role}::user_role ORDER BY id LIMIT 1`,
    );
    session.user = { id: Number(user?.id), name: String(user?.display_name), role };
  }

  it("checks roles and answers communities, plans and their errors", async () => {
    const communities = await import("@/app/api/communities/route");
    const community = await import("@/app/api/communities/[id]/route");
    const plans = await import("@/app/api/plans/route");
    const plan = await import("@/app/api/plans/[id]/route");
    session.user = undefined;
    expect((await communities.GET()).status).toBe(401);
    await signIn("worker");
    expect((await communities.GET()).status).toBe(403);
    await signIn("planner");
    const list = await communities.GET();
    expect(list.status).toBe(200);
    expect(((await list.json()) as unknown[]).length).toBe(6);
    expect((await community.GET(new Request("http://test"), params("320104001002"))).status).toBe(200);
    const bad = await community.GET(new Request("http://test"), params("abc"));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string; code: string }).code).toBe("bad_input");
    expect((await community.GET(new Request("http://test"), params("999999999999"))).status).toBe(404);
    expect((await plans.GET()).status).toBe(200);
    const detail = await plan.GET(new Request("http://test"), params("1"));
    expect(detail.headers.get("cache-control")).toBe("no-store");
    expect(((await detail.json()) as { grids: unknown[] }).grids).toHaveLength(52);
    expect((await plan.GET(new Request("http://test"), params("x1"))).status).toBe(400);
    expect((await plan.GET(new Request("http://test"), params("999999"))).status).toBe(404);
    expect((await plan.DELETE(new Request("http://test"), params("1"))).status).toBe(409);
  });

  it("publish validates its body and refuses a non-draft", async () => {
    const publish = await import("@/app/api/plans/[id]/publish/route");
    await signIn("planner");
    const badBody = await publish.POST(json({ version: "1" }), params("1"));
    expect(badBody.status).toBe(400);
    expect(((await badBody.json()) as { error: string }).error).toMatch(/version: /);
    const notDraft = await publish.POST(json({ version: 1 }), params("1"));
    expect(notDraft.status).toBe(409);
    expect(((await notDraft.json()) as { code: string }).code).toBe("not_draft");
    const notJson = await publish.POST(new Request("http://test", { method: "POST", body: "{" }), params("1"));
    expect(notJson.status).toBe(400);
  });

  it("export downloads GeoJSON; import answers 201, 400 and 413; delete removes the draft", async () => {
    const geojson = await import("@/app/api/plans/[id]/geojson/route");
    const importRoute = await import("@/app/api/plans/import/route");
    const plan = await import("@/app/api/plans/[id]/route");
    await signIn("admin");
    const download = await geojson.GET(new Request("http://test"), params("1"));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="plan-1.geojson"');
    const collection = (await download.json()) as PlanGeoJson;
    const created = await importRoute.POST(json({ name: "via route", featureCollection: collection }));
    expect(created.status).toBe(201);
    const { planId } = (await created.json()) as { planId: number };
    expect((await plan.DELETE(new Request("http://test"), params(String(planId)))).status).toBe(200);
    expect((await plan.GET(new Request("http://test"), params(String(planId)))).status).toBe(404);
    const refused = await importRoute.POST(json({ type: "FeatureCollection", features: [] }));
    expect(refused.status).toBe(400);
    const huge = await importRoute.POST(
      json({ type: "FeatureCollection", features: [], pad: "x".repeat(5 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
  });

  it("history: any signed-in role may read; date and community validated, each given once", async () => {
    const history = await import("@/app/api/grids/history/route");
    await signIn("commander");
    const ok = await history.GET(new Request("http://test/api/grids/history?date=2020-01-01"));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { features: unknown[] }).features).toEqual([]);
    const future = await history.GET(new Request("http://test/api/grids/history?date=2999-01-01"));
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: string }).error).toMatch(/2999-01-01 is in the future/);
    expect((await history.GET(new Request("http://test/api/grids/history?date=2026-13-01"))).status).toBe(400);
    const refused = async (query: string, pattern: RegExp) => {
      const answer = await history.GET(new Request(`http://test/api/grids/history?${query}`));
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(pattern);
    };
    await refused("", /date is required/);
    await refused("date=2020-01-01&date=2021-01-01", /date.*once/);
    await refused("date=2020-01-01&community=abc", /invalid community "abc"/);
    await refused("date=2020-01-01&community=320104001002&community=320104001002", /community.*once/);
    await signIn("worker");
    expect((await history.GET(new Request("http://test/api/grids/history?date=2020-01-01"))).status).toBe(200);
    session.user = undefined;
    expect((await history.GET(new Request("http://test/api/grids/history?date=2020-01-01"))).status).toBe(401);
  });
});
