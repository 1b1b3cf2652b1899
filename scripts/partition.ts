import { createDb, databaseUrl } from "@/db/client";
import { createDraftPlan, PartitionInputError, resolveCommunities } from "@/lib/grids/create-draft-plan";
import { HOUSEHOLD_TARGET } from "@/lib/import/osm-rules";

const USAGE =
  'usage: npm run partition -- --community <code>[,<code>…] | --street <code> [--target 200 | --target-old 200 --target-new 500] [--seed 1] [--name "…"]';

function fail(message: string): never {
  console.error(`[partition] ${message}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i] ?? "";
    if (!key.startsWith("--")) fail(`unexpected argument: ${key}`);
    const known = ["--community", "--street", "--target", "--target-old", "--target-new", "--seed", "--name"];
    if (!known.includes(key)) fail(`unknown option: ${key}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) fail(`${key} needs a value`);
    opts.set(key, value);
    i++;
  }
  const whole = (key: string, fallback: number): number => {
    const raw = opts.get(key);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) <= 0) fail(`${key} must be a positive whole number, got "${raw}"`);
    return Number(raw);
  };
  if (opts.has("--community") === opts.has("--street")) fail("give exactly one of --community or --street");
  if (opts.has("--target") && (opts.has("--target-old") || opts.has("--target-new")))
    fail("use either --target or --target-old/--target-new");
  const single = opts.has("--target") ? whole("--target", 0) : undefined;
  const seedRaw = opts.get("--seed") ?? "1";
  if (!/^-?\d+$/.test(seedRaw)) fail(`--seed must be a whole number, got "${seedRaw}"`);
  return {
    communities: opts
      .get("--community")
      ?.split(",")
      .map((c) => c.trim())
      .filter(Boolean),
    street: opts.get("--street"),
    targets: {
      old: single ?? whole("--target-old", HOUSEHOLD_TARGET.old),
      new: single ?? whole("--target-new", HOUSEHOLD_TARGET.new),
    },
    seed: Number(seedRaw),
    name: opts.get("--name"),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { db, pool } = createDb(databaseUrl());
  try {
    const ids = await resolveCommunities(db, { communities: args.communities, street: args.street });
    const started = performance.now();
    const plan = await createDraftPlan(db, {
      communityIds: ids,
      targets: args.targets,
      seed: args.seed,
      name: args.name,
      onStep: (step, ms) => console.log(`[partition] tessellate: ${step} ${ms.toFixed(0)} ms`),
    });
    const total = performance.now() - started;
    for (const c of plan.communities) {
      const m = c.metrics;
      console.log(
        `\n${c.code} ${c.name} — ${
          c.parts
            ? `mixed: ${c.parts.map((p) => `${p.estateKind === "new" ? "新建小区" : "老旧小区"} target ${p.target} (${p.result.grids.length} grids)`).join(" + ")}`
            : `${c.estateKind === "new" ? "新建小区" : "老旧小区"}, target ${c.target}`
        }, ${c.cells} cells in ${c.blocks} blocks`,
      );
      console.log(["code", "households", "target", "deviation", "buildings", "area m²", "Polsby–Popper"].join("\t"));
      const order = c.result.grids.map((_, i) => i).sort((a, b) => (c.codes[a] ?? "").localeCompare(c.codes[b] ?? ""));
      for (const i of order) {
        const g = m.grids[i];
        if (!g) continue;
        console.log(
          [
            c.codes[i] ?? "?",
            g.households,
            g.target,
            `${g.deviation >= 0 ? "+" : ""}${pct(g.deviation)}`,
            g.buildings,
            Math.round(g.areaM2),
            g.polsbyPopper.toFixed(2),
          ].join("\t"),
        );
      }
      console.log(
        `grids ${m.gridCount}; within ±5% ${m.within5}/${m.gridCount} (${pct(m.within5Share)}), within ±10% ${m.within10}/${m.gridCount} (${pct(m.within10Share)}); max |deviation| ${pct(m.maxAbsDeviation)}; ` +
          `Polsby–Popper mean ${m.ppMean.toFixed(2)}, min ${m.ppMin.toFixed(2)}; boundary on roads ${pct(m.roadShare)} of ${Math.round(m.internalBoundaryM)} m; ` +
          `non-contiguous ${m.nonContiguous}, split buildings ${m.splitBuildings}, small blocks split ${m.smallBlocksSplit}; partition ${c.partitionMs.toFixed(0)} ms`,
      );
      for (const e of c.result.exceptions)
        console.log(`  exception ${c.codes[e.grid] ?? "?"} (${e.households} households): ${e.reason}`);
    }
    console.log(
      `\n[partition] draft plan ${plan.planId} "${plan.name}": tessellation ${plan.tessellationMs.toFixed(0)} ms, partition ${plan.partitionMs.toFixed(0)} ms, write ${plan.writeMs.toFixed(0)} ms, total ${total.toFixed(0)} ms`,
    );
    console.log(plan.planId);
  } catch (error) {
    if (error instanceof PartitionInputError) fail(error.message);
    throw error;
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
