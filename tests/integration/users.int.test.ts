import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listActivePlanGrids } from "@/app/(console)/_data/grids";
import { findNearestStations } from "@/app/(public)/resident/_data/nearest-stations";
import { auditLog, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import {
  createUser,
  deactivateUser,
  SelfDeactivationError,
  UserNotFoundError,
  UsernameTakenError,
} from "@/lib/users/commands";
import { getUserForLogin } from "@/lib/users/queries";
import { testDb, withTestTransaction } from "./helpers";

const input = { username: "ui.test", displayName: "测试网格员", role: "worker" as const, password: "Correct-Horse-42" };

describe("user administration", () => {
  it("creates a user with a scrypt hash and an audit row in the same transaction", () =>
    withTestTransaction(async (tx) => {
      const [admin] = await tx.select().from(users).where(eq(users.username, "admin"));
      if (!admin) throw new Error("seed has no admin");
      const created = await createUser(tx, { userId: admin.id, role: "admin" }, input);
      const stored = await getUserForLogin(tx, "ui.test");
      expect(stored?.role).toBe("worker");
      expect(stored?.passwordHash).toMatch(/^scrypt\$/);
      expect(stored?.passwordHash).not.toContain(input.password);
      expect(await verifyPassword(input.password, stored?.passwordHash ?? "")).toBe(true);
      const audit = await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entity, "users"), eq(auditLog.entityId, String(created.id))));
      expect(audit).toHaveLength(1);
      expect(audit[0]?.action).toBe("user.create");
      expect(audit[0]?.actorUserId).toBe(admin.id);
      expect(JSON.stringify(audit[0]?.detail)).not.toContain(input.password);
    }));

  it("refuses a taken username without writing an audit row", () =>
    withTestTransaction(async (tx) => {
      const [admin] = await tx.select().from(users).where(eq(users.username, "admin"));
      if (!admin) throw new Error("seed has no admin");
      const before = await tx.select().from(auditLog);
      await expect(
        createUser(tx, { userId: admin.id, role: "admin" }, { ...input, username: "Planner" }),
      ).rejects.toBeInstanceOf(UsernameTakenError);
      expect(await tx.select().from(auditLog)).toHaveLength(before.length);
    }));

  it("deactivates once, never the acting admin, and audits it", () =>
    withTestTransaction(async (tx) => {
      const [admin] = await tx.select().from(users).where(eq(users.username, "admin"));
      const [worker] = await tx.select().from(users).where(eq(users.username, "worker"));
      if (!admin || !worker) throw new Error("seed has no admin or worker");
      const actor = { userId: admin.id, role: "admin" as const };
      await expect(deactivateUser(tx, actor, { userId: admin.id })).rejects.toBeInstanceOf(SelfDeactivationError);
      await deactivateUser(tx, actor, { userId: worker.id });
      expect((await getUserForLogin(tx, "worker"))?.active).toBe(false);
      await expect(deactivateUser(tx, actor, { userId: worker.id })).rejects.toBeInstanceOf(UserNotFoundError);
      const audit = await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "user.deactivate"), eq(auditLog.entityId, String(worker.id))));
      expect(audit).toHaveLength(1);
    }));
});

describe("console and resident queries on the imported city", () => {
  it("lists the active plan's grids sorted by deviation", async () => {
    const { plan, rows, communities } = await listActivePlanGrids(testDb, { sort: "deviation_desc" });
    expect(plan).toBeDefined();
    expect(rows.length).toBeGreaterThan(0);
    expect(communities.length).toBeGreaterThan(0);
    const deviations = rows.map((row) => row.deviationPct);
    expect(deviations).toEqual([...deviations].sort((a, b) => b - a));
    const firstCommunity = communities[0]?.id;
    const filtered = await listActivePlanGrids(testDb, { sort: "code", community: firstCommunity });
    expect(filtered.rows.every((row) => row.communityId === firstCommunity)).toBe(true);
  });

  it("finds the nearest open stations by ground distance, nearest first", async () => {
    const stations = await findNearestStations(testDb, { lngLat: [118.7838, 32.0415] });
    expect(stations.length).toBeGreaterThan(0);
    const distances = stations.map((station) => station.distanceMeters);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances[0]).toBeLessThan(3000);
  });

  it("rejects coordinates outside the world", async () => {
    await expect(findNearestStations(testDb, { lngLat: [500, 32] })).rejects.toThrow();
  });
});
