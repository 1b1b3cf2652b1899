import { afterAll } from "vitest";
import { createDb } from "@/db/client";
import type { Db } from "@/db/index";

const url = process.env.TEST_DATABASE_URL ?? "postgres://wangge:wangge@127.0.0.1:54329/wangge_test";
const { db, pool } = createDb(url);

afterAll(async () => {
  await pool.end();
});

export const testDatabaseUrl = url;
export const testDb: Db = db;
export const testPool = pool;

class Rollback extends Error {}

/** Run `fn` inside a transaction that is always rolled back, passing the transaction as the database handle. */
export async function withTestTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction(async (tx) => {
      // safe because a drizzle transaction exposes the same query API as the database handle
      result = await fn(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  // safe because the transaction callback always assigns before throwing Rollback
  return result as T;
}
