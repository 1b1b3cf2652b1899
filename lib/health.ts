import type { Pool } from "pg";

export type Health = {
  status: "ok" | "error";
  app: { name: "wangge"; version: string; uptime_s: number };
  database: { ok: boolean; postgis: string | null; latency_ms: number | null; error?: string };
};

const TIMEOUT_MS = 3000;

/** App and database health: 200 when the database answers with PostGIS, otherwise 503. Never throws. */
export async function getHealth(pool: Pick<Pool, "query">): Promise<{ httpStatus: 200 | 503; body: Health }> {
  const app = {
    name: "wangge" as const,
    version: process.env.npm_package_version ?? "0.1.0",
    uptime_s: Math.round(process.uptime()),
  };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      pool.query<{ postgis: string }>("SELECT postgis_lib_version() AS postgis"),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    const latency = Math.round((performance.now() - started) * 10) / 10;
    const postgis = result.rows[0]?.postgis ?? null;
    return {
      httpStatus: 200,
      body: { status: "ok", app, database: { ok: true, postgis, latency_ms: latency } },
    };
  } catch (error) {
    // the message says why (refused, timeout, missing extension) without credentials: pg errors do not echo the URL
    const message = error instanceof Error ? error.message : "unknown error";
    return {
      httpStatus: 503,
      body: { status: "error", app, database: { ok: false, postgis: null, latency_ms: null, error: message } },
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
