import path from "node:path";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { createDb, databaseUrl } from "./client";

/** Apply the committed SQL migrations in db/migrations to DATABASE_URL (or the given url). */
export async function runMigrations(url: string = databaseUrl()): Promise<void> {
  const { db, pool } = createDb(url);
  try {
    await pool.query("SET client_min_messages = warning");
    await migrate(db, { migrationsFolder: path.join(__dirname, "migrations") });
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  runMigrations()
    .then(() => console.log("[migrate] up to date"))
    .catch((error: unknown) => {
      console.error("[migrate] failed:", error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
