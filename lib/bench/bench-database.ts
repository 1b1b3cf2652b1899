import { Client } from "pg";
import { runMigrations } from "@/db/migrate";

/**
 * A generated bench database at `url`, reused when its last `import_runs` row of `kind` carries `marker` (the
 * generator's version, size and seed), else dropped, recreated, migrated and filled by `fill`, which returns the
 * counts to record. Migrations run on reuse too: they only rename or add, so the generated data stays valid.
 */
export async function ensureBenchDatabase(
  url: string,
  kind: string,
  marker: string,
  fill: (url: string) => Promise<Record<string, number>>,
): Promise<{ reused: boolean; counts: Record<string, number> }> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe bench database name: ${name}`);
  const admin = new Client({ connectionString: url.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) {
      const probe = new Client({ connectionString: url });
      await probe.connect();
      try {
        const found = await probe
          .query<{ sha256: string; counts: Record<string, number> }>(
            "SELECT sha256, counts FROM import_runs WHERE kind = $1 ORDER BY id DESC LIMIT 1",
            [kind],
          )
          .catch(() => ({ rows: [] as { sha256: string; counts: Record<string, number> }[] }));
        const row = found.rows[0];
        if (row?.sha256 === marker) {
          await runMigrations(url);
          return { reused: true, counts: row.counts };
        }
      } finally {
        await probe.end();
      }
      // the name was checked against a strict identifier pattern above
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  await runMigrations(url);
  const counts = await fill(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("INSERT INTO import_runs (kind, file_name, sha256, counts) VALUES ($1, $2, $3, $4)", [
      kind,
      kind,
      marker,
      JSON.stringify(counts),
    ]);
  } finally {
    await client.end();
  }
  return { reused: false, counts };
}
