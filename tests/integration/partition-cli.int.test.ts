import { spawnSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDatabaseUrl, testDb } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");

/** Run the partition CLI (`npm run partition -- …`) against the test database. */
function cli(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/partition.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function plans(): Promise<number> {
  const r = (await testDb.execute(sql`SELECT count(*)::int AS n FROM plans`)).rows[0] as { n: number };
  return Number(r.n);
}

describe("npm run partition (CLI) on bad input", () => {
  it.each([
    [["--community"], "--community needs a value"],
    [["--commune", "320104001001"], "unknown option: --commune"],
    [["320104001001"], "unexpected argument: 320104001001"],
    [[], "give exactly one of --community or --street"],
    [["--community", "320104001001", "--street", "320104001"], "give exactly one of --community or --street"],
    [["--community", "320104001001", "--target", "0"], '--target must be a positive whole number, got "0"'],
    [["--community", "320104001001", "--target", "2.5"], '--target must be a positive whole number, got "2.5"'],
    [["--community", "320104001001", "--target", "200", "--target-old", "200"], "use either --target or"],
    [["--community", "320104001001", "--seed", "x"], '--seed must be a whole number, got "x"'],
  ])("exits 2 for %j with a clear message and the usage", (args, message) => {
    const run = cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("usage: npm run partition");
    expect(run.stdout).toBe("");
  });

  it("exits 2 naming an unknown community or street code, and writes no plan", async () => {
    const before = await plans();
    const community = cli(["--community", "320199999999", "--target", "200"]);
    expect(community.code).toBe(2);
    expect(community.stderr).toContain("unknown community code: 320199999999");
    const street = cli(["--street", "320199999"]);
    expect(street.code).toBe(2);
    expect(street.stderr).toContain("unknown street code: 320199999");
    const target = cli(["--community", "320199999999", "--target", "100001"]);
    expect(target.code).toBe(2);
    expect(await plans()).toBe(before);
  });
});
