import { execFileSync } from "node:child_process";
import path from "node:path";
import { Client } from "pg";
import { runMigrations } from "@/db/migrate";

export const OSM_FILE = path.resolve(__dirname, "../../../shared/data/nanjing-xinjiekou/xinjiekou.osm");

/** Recreate the throwaway test database, apply the committed migrations and import the real Nanjing extract once. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? "postgres://wangge:wangge@127.0.0.1:54329/wangge_test";
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  const admin = new Client({ connectionString: url.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  try {
    // safe because the name comes from our own env, quoted as an identifier
    await admin.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', "")}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', "")}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(url);
  const root = path.resolve(__dirname, "../..");
  execFileSync("npx", ["tsx", "scripts/import-osm.ts", OSM_FILE], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "inherit",
  });
  execFileSync("npx", ["tsx", "db/seed.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "inherit",
  });
  process.env.TEST_DATABASE_URL = url;
}
