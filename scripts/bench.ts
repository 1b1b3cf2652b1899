/**
 * Bench (loopback only): `npm run bench -- [--only tiles|partition] [--size 100000] [--out file.json] [--skip-demo] [--dev-server]`.
 * Tiles: measures the real server.ts (production build) against the same SQL run directly, on the demo database
 * (DATABASE_URL) and on a deterministic synthetic city in `wangge_bench`. Partition (issue 3): the automatic partition
 * next to a k-means baseline on the demo data (rolled back) and on a synthetic street in `wangge_bench_partition`
 * (lib/bench/partition-bench.ts). Both by default; writes one JSON report with pass/fail targets.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { Client } from "pg";
import { runPartitionBench } from "@/lib/bench/partition-bench";
import { startServer } from "@/lib/bench/server-process";
import { ensureSyntheticCity } from "@/lib/bench/synthetic";
import { benchDataset, type Target } from "@/lib/bench/tile-bench";

const ROOT = path.resolve(__dirname, "..");
const BUDGET_MS = 8 * 60_000;

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

async function versions(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const pg = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const postgis = await client.query<{ v: string }>("SELECT postgis_lib_version() AS v");
    const nextPackage = JSON.parse(readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")) as {
      version: string;
    };
    return {
      node: process.version,
      postgres: pg.rows[0]?.v ?? null,
      postgis: postgis.rows[0]?.v ?? null,
      next: nextPackage.version,
    };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const only = argValue("--only");
  if (only !== undefined && only !== "tiles" && only !== "partition") {
    console.error(`--only must be "tiles" or "partition", got "${only}"`);
    process.exit(2);
  }
  const runTiles = only !== "partition";
  const runPartition = only !== "tiles";
  const size = Number(argValue("--size") ?? 100_000);
  if (!Number.isInteger(size) || size < 1000) throw new Error("--size must be an integer ≥ 1000");
  const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");
  const out = path.resolve(argValue("--out") ?? path.join(ROOT, "reports", `bench-${stamp}.json`));
  const devServer = process.argv.includes("--dev-server");
  const demoUrl = process.env.DATABASE_URL ?? "postgres://wangge:wangge@127.0.0.1:54329/wangge";
  const benchUrl = process.env.BENCH_DATABASE_URL ?? demoUrl.replace(/\/[^/?]*(\?.*)?$/, "/wangge_bench");
  if (runTiles && !devServer && !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.error(
      "No production build found: run `npx next build` first (or pass --dev-server to bench the dev server).",
    );
    process.exit(2);
  }
  const secret = process.env.NEXTAUTH_SECRET ?? "bench-secret-bench-secret-bench-secret";
  const token = await encode({ token: { sub: "0", name: "bench", role: "admin" }, secret, maxAge: 3600 });
  const cookie = `next-auth.session-token=${token}`;
  const log = (line: string) => console.log(line);

  const report: Record<string, unknown> = {
    started_at: new Date(started).toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? null,
      memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      // other work on the machine skews every figure; recorded so runs can be compared
      load_average_at_start: os.loadavg().map((value) => Math.round(value * 100) / 100),
    },
    versions: await versions(demoUrl),
    config: runTiles
      ? {
          only: only ?? "all",
          size,
          server: devServer ? "next dev (server.ts --dev)" : "production (server.ts)",
          pool: 16,
        }
      : { only },
    datasets: [] as unknown[],
  };
  const allTargets: (Target & { dataset: string })[] = [];
  if (runTiles) await benchTiles();
  if (runPartition) {
    const partitionUrl =
      process.env.BENCH_PARTITION_DATABASE_URL ?? demoUrl.replace(/\/[^/?]*(\?.*)?$/, "/wangge_bench_partition");
    log("[bench] partition: demo data (rolled back) and the synthetic street");
    try {
      const { results, targets } = await runPartitionBench({ demoUrl, benchUrl: partitionUrl, log, redact });
      report.partition = { ...results, targets };
      allTargets.push(...targets.map((target) => ({ ...target, dataset: "partition" })));
    } catch (error) {
      report.partition = { error: error instanceof Error ? error.message : String(error) };
      log(`[bench] partition failed: ${error instanceof Error ? error.stack : String(error)}`);
      allTargets.push({
        dataset: "partition",
        name: "partition bench ran",
        target: "no error",
        value: "error",
        pass: false,
      });
    }
  }

  async function benchTiles(): Promise<void> {
    const datasets: { name: string; url: string; note?: string }[] = [];
    if (!process.argv.includes("--skip-demo")) datasets.push({ name: "demo", url: demoUrl });
    log(`[bench] synthetic city of ${size} buildings in ${redact(benchUrl)}`);
    const synthetic = await ensureSyntheticCity(benchUrl, size);
    log(`[bench] synthetic city ${synthetic.reused ? "reused" : "generated"}: ${JSON.stringify(synthetic.counts)}`);
    datasets.push({ name: `synthetic-${size}`, url: benchUrl });

    for (const dataset of datasets) {
      const entry: Record<string, unknown> = { name: dataset.name, database: redact(dataset.url) };
      (report.datasets as unknown[]).push(entry);
      const probe = new Client({ connectionString: dataset.url });
      await probe.connect();
      const buildings = await probe
        .query<{ count: string }>("SELECT count(*) AS count FROM buildings")
        .then((result) => Number(result.rows[0]?.count ?? 0))
        .catch(() => 0);
      await probe.end();
      if (!buildings) {
        entry.skipped = "no buildings in this database (import the demo data first: npm run import:osm, db:seed)";
        log(`[bench] ${dataset.name}: skipped (${entry.skipped})`);
        continue;
      }
      if (Date.now() > deadline - 60_000) {
        entry.skipped = "time budget exhausted";
        continue;
      }
      log(`[bench] ${dataset.name}: starting server.ts`);
      const server = await startServer({ root: ROOT, databaseUrl: dataset.url, secret, dev: devServer });
      try {
        const { results, targets } = await benchDataset({
          name: dataset.name,
          databaseUrl: dataset.url,
          baseUrl: server.baseUrl,
          cookie,
          deadline,
          log,
        });
        Object.assign(entry, results, { targets });
        allTargets.push(...targets.map((target) => ({ ...target, dataset: dataset.name })));
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
        log(`[bench] ${dataset.name} failed: ${entry.error}\n${server.log().slice(-2000)}`);
      } finally {
        await server.stop();
      }
    }
  }

  report.duration_s = Math.round((Date.now() - started) / 100) / 10;
  (report.machine as Record<string, unknown>).load_average_at_end = os
    .loadavg()
    .map((value) => Math.round(value * 100) / 100);
  report.targets = allTargets;
  report.all_pass = allTargets.length > 0 && allTargets.every((target) => target.pass !== false);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    "\n dataset              | target                                                   | goal       | value      | pass",
  );
  console.log(`${"-".repeat(21)}+${"-".repeat(58)}+${"-".repeat(12)}+${"-".repeat(12)}+-----`);
  for (const target of allTargets) {
    const pass = target.pass === null ? "n/a" : target.pass ? "yes" : "NO";
    console.log(
      ` ${target.dataset.padEnd(20)}| ${target.name.padEnd(57)}| ${target.target.padEnd(11)}| ${String(target.value).padEnd(11)}| ${pass}`,
    );
  }
  console.log(
    `\n[bench] ${report.all_pass ? "all targets pass" : "some targets fail"}; report: ${out} (${report.duration_s} s)`,
  );
}

main().catch((error: unknown) => {
  console.error("[bench] failed:", error instanceof Error ? error.stack : error);
  process.exit(1);
});
