import { createDb, databaseUrl } from "@/db/client";
import { HouseholdsImportError, importHouseholdsFile } from "@/lib/import/households";

/** npm run import:households -- <file.csv>  (header: building_source_key,households or building_id,households) */
async function main(): Promise<void> {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
  if (!file) {
    console.error("usage: npm run import:households -- <file.csv>");
    process.exit(2);
  }
  const { pool } = createDb(databaseUrl());
  try {
    const result = await importHouseholdsFile(pool, file);
    console.log(`[import:households] ${result.rows} rows from ${file}: ${result.changed} buildings changed`);
  } catch (error) {
    const message =
      error instanceof HouseholdsImportError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`[import:households] failed: ${message}`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}

void main();
