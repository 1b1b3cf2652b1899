import type { Pool, PoolClient } from "pg";
import { hashPassword } from "@/lib/auth/password";
import { createDb, databaseUrl } from "./client";

/** Demo accounts; the password is documented in docs/data.md and README (demo only). */
export const DEMO_PASSWORD = "Wangge@2026";
export const DEMO_USERS = [
  { username: "admin", displayName: "系统管理员", role: "admin" },
  { username: "planner", displayName: "规划员", role: "planner" },
  { username: "commander", displayName: "指挥中心值班员", role: "commander" },
  { username: "worker", displayName: "网格员", role: "worker" },
] as const;

const SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭"];
const GIVEN_NAMES = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "磊",
  "洋",
  "勇",
  "艳",
  "杰",
  "军",
  "丽",
  "强",
  "婷",
  "涛",
  "明",
  "华",
  "平",
];
const WORKER_SPECIALTIES = ["livelihood", "public_security", "dispute_mediation", "urban_property"] as const;

/** Deterministic clearly-marked demo name, e.g. 演示·张伟. */
export function demoName(index: number): string {
  const surname = SURNAMES[index % SURNAMES.length] ?? "张";
  const given = GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length] ?? "伟";
  return `演示·${surname}${given}`;
}

export interface SeedResult {
  users: number;
  gridMembers: number;
  partyOrganizations: number;
}

/** Idempotent demo seed: users, a team per active grid, a 网格党支部 per community and a 党小组 per grid. */
export async function seedDemo(pool: Pool): Promise<SeedResult> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await seedInTransaction(client);
    const total = result.users + result.gridMembers + result.partyOrganizations;
    if (total > 0) {
      await client.query(
        "INSERT INTO audit_log (actor, action, entity, detail) VALUES ('system:seed', 'seed.demo', 'seed', $1)",
        [JSON.stringify({ ...result, note: "demo users, grid teams and party organisations (is_demo)" })],
      );
    }
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

async function seedInTransaction(client: PoolClient): Promise<SeedResult> {
  let users = 0;
  for (const user of DEMO_USERS) {
    const existing = await client.query("SELECT 1 FROM users WHERE username = $1", [user.username]);
    if (existing.rowCount) continue;
    const inserted = await client.query(
      `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING`,
      [user.username, user.displayName, await hashPassword(DEMO_PASSWORD), user.role],
    );
    users += inserted.rowCount ?? 0;
  }

  const grids = await client.query<{ id: number; code: string; name: string; community_id: number; community: string }>(
    `SELECT g.id, g.code, g.name, g.community_id, a.name AS community
     FROM grids g JOIN plans p ON p.id = g.plan_id AND p.status = 'active'
     JOIN admin_areas a ON a.id = g.community_id
     ORDER BY g.code`,
  );
  const workerUser = await client.query<{ id: number }>("SELECT id FROM users WHERE username = 'worker'");
  const workerUserId = workerUser.rows[0]?.id ?? null;

  let gridMembers = 0;
  let partyOrganizations = 0;
  const branchOf = new Map<number, number>();
  for (const [position, grid] of grids.rows.entries()) {
    const team = [
      { role: "grid_leader", specialty: "party_building", name: demoName(position * 3) },
      {
        role: "grid_worker",
        specialty: WORKER_SPECIALTIES[position % WORKER_SPECIALTIES.length] ?? "livelihood",
        name: demoName(position * 3 + 1),
      },
      { role: "part_time_worker", specialty: "urban_property", name: demoName(position * 3 + 2) },
    ];
    for (const [offset, member] of team.entries()) {
      // The demo 'worker' account is the 网格员 of the first grid.
      const userId = position === 0 && member.role === "grid_worker" ? workerUserId : null;
      const inserted = await client.query(
        `INSERT INTO grid_members (name, phone, team_role, specialty, grid_id, user_id, is_demo)
         SELECT $1, $2, $3, $4, $5, $6, true
         WHERE NOT EXISTS (SELECT 1 FROM grid_members WHERE grid_id = $5 AND team_role = $3 AND is_demo)`,
        [
          member.name,
          `1380000${String(position * 3 + offset + 1).padStart(4, "0")}`,
          member.role,
          member.specialty,
          grid.id,
          userId,
        ],
      );
      gridMembers += inserted.rowCount ?? 0;
    }

    let branchId = branchOf.get(grid.community_id);
    if (branchId === undefined) {
      const branchName = `${grid.community}网格党支部（演示）`;
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO party_organizations (name, kind, member_count, is_demo)
         SELECT $1, 'grid_branch', 0, true
         WHERE NOT EXISTS (SELECT 1 FROM party_organizations WHERE name = $1 AND kind = 'grid_branch' AND is_demo)
         RETURNING id`,
        [branchName],
      );
      partyOrganizations += inserted.rowCount ?? 0;
      const found = await client.query<{ id: number }>(
        "SELECT id FROM party_organizations WHERE name = $1 AND kind = 'grid_branch' AND is_demo ORDER BY id LIMIT 1",
        [branchName],
      );
      branchId = found.rows[0]?.id;
      if (branchId === undefined) throw new Error(`could not seed ${branchName}`);
      branchOf.set(grid.community_id, branchId);
    }
    const group = await client.query(
      `INSERT INTO party_organizations (name, kind, grid_id, parent_id, member_count, is_demo)
       SELECT $1, 'party_group', $2, $3, $4, true
       WHERE NOT EXISTS (SELECT 1 FROM party_organizations WHERE grid_id = $2 AND kind = 'party_group' AND is_demo)`,
      [`${grid.name}党小组（演示）`, grid.id, branchId, 3 + ((position * 7) % 10)],
    );
    partyOrganizations += group.rowCount ?? 0;
  }
  // A branch's member count is the sum of its groups (kept in step on every run, only when it differs).
  await client.query(
    `UPDATE party_organizations b SET member_count = s.total, updated_at = now()
     FROM (SELECT parent_id, sum(member_count)::int AS total FROM party_organizations
           WHERE kind = 'party_group' AND is_demo GROUP BY parent_id) s
     WHERE b.id = s.parent_id AND b.kind = 'grid_branch' AND b.member_count <> s.total`,
  );
  return { users, gridMembers, partyOrganizations };
}

if (require.main === module) {
  const { pool } = createDb(databaseUrl());
  seedDemo(pool)
    .then((result) => {
      console.log(
        `[seed] ${result.users} users, ${result.gridMembers} grid members, ${result.partyOrganizations} party organisations added` +
          (result.users + result.gridMembers + result.partyOrganizations === 0 ? " (unchanged)" : ""),
      );
    })
    .catch((error: unknown) => {
      console.error("[seed] failed:", error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(() => pool.end());
}
