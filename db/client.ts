import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import type { Db } from "./index";
import * as schema from "./schema";

/** A database handle for CLIs, tests and the bench (outside Next's server-only graph). */
export function createDb(url: string): { db: Db; pool: Pool } {
  const pool = new Pool({ connectionString: url, max: 10 });
  return { db: drizzle(pool, { schema, casing: "snake_case" }), pool };
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return "postgres://wangge:wangge@127.0.0.1:54329/wangge";
  return url;
}
