import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { serverEnv } from "@/lib/env";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;

const globalForDb = globalThis as unknown as { wanggePool?: Pool };

/** One pool per process (Next dev re-evaluates modules; keep the pool on globalThis). */
export const pool: Pool = globalForDb.wanggePool ?? new Pool({ connectionString: serverEnv().DATABASE_URL, max: 20 });
globalForDb.wanggePool = pool;

export const db: Db = drizzle(pool, { schema, casing: "snake_case" });
