/**
 * Wangge HTTP server: vector tiles on a bare Node route (no App Router overhead on the hottest path), everything else
 * handed to Next. `npx tsx server.ts` (production, after `next build`) or `npx tsx server.ts --dev`.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { Pool } from "pg";

loadEnvFile(path.join(__dirname, ".env.local"));

const dev = process.argv.includes("--dev");
if (!process.env.NODE_ENV) {
  // safe because NODE_ENV is typed read-only by Next's ambient types but is an ordinary env var at startup
  (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
}
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? "0.0.0.0";
const databaseUrl = process.env.DATABASE_URL ?? "postgres://wangge:wangge@127.0.0.1:54329/wangge";

async function main(): Promise<void> {
  if (!dev && !existsSync(path.join(__dirname, ".next", "BUILD_ID"))) {
    console.error("[server] no production build in .next: run `npx next build` first (or start with --dev)");
    process.exit(1);
  }
  // imported after the env file is loaded, so modules that read env at load time see it
  const { default: next } = await import("next");
  const { TILE_PATH_PREFIX, TileService } = await import("./lib/tiles/tile-service");

  // connections stay open: a fresh backend pays PostGIS's projection setup on its first tile
  const pool = new Pool({
    connectionString: databaseUrl,
    max: Number(process.env.TILE_POOL_SIZE ?? 16),
    idleTimeoutMillis: 0,
  });
  pool.on("error", (error) => console.error("[server] idle database client error", error.message));
  const tiles = new TileService({
    pool,
    databaseUrl,
    secret: process.env.NEXTAUTH_SECRET,
    cacheBytes: Number(process.env.TILE_CACHE_MB ?? 256) * 1024 * 1024,
    bench: process.env.WANGGE_BENCH === "1",
  });
  await tiles.start();

  const app = next({ dev, hostname: "localhost", port, dir: __dirname });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    if (req.url?.startsWith(TILE_PATH_PREFIX)) {
      void tiles.handle(req, res);
      return;
    }
    handle(req, res).catch((error: unknown) => {
      console.error("[server] request failed", req.url, error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end("Internal Server Error");
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    console.log(`[server] ${dev ? "dev" : "production"} on http://${hostname}:${port} (tiles: ${TILE_PATH_PREFIX})`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: shutting down`);
    server.close();
    server.closeIdleConnections();
    void Promise.allSettled([tiles.close(), pool.end(), app.close?.()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** Minimal KEY=value parser (comments, optional quotes); never overrides variables already set. */
function loadEnvFile(file: string): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match?.[1] || line.trimStart().startsWith("#")) continue;
    let value = match[2] ?? "";
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? "";
    else value = value.replace(/\s+#.*$/, "");
    if (process.env[match[1]] === undefined) process.env[match[1]] = value;
  }
}

main().catch((error: unknown) => {
  console.error("[server] failed to start:", error);
  process.exit(1);
});
