import { execFile } from "node:child_process";
import path from "node:path";

/** Staging schema written by db/osm/wangge.lua (keep both in sync). */
export const OSM_STAGE_SCHEMA = "osm_stage";
export const OSM_STYLE_FILE = path.resolve(__dirname, "../../db/osm/wangge.lua");

export class OsmImportError extends Error {
  override name = "OsmImportError";
}

/** libpq connection parameters for osm2pgsql, parsed from a postgres:// URL (the password travels in PGPASSWORD). */
export function connectionParams(databaseUrl: string): {
  args: string[];
  env: Record<string, string>;
} {
  const url = new URL(databaseUrl);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new OsmImportError(`DATABASE_URL must be a postgres:// URL, got ${url.protocol}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new OsmImportError("DATABASE_URL names no database");
  const args = ["--database", database];
  if (url.hostname) args.push("--host", url.hostname.replace(/^\[|\]$/g, ""));
  if (url.port) args.push("--port", url.port);
  if (url.username) args.push("--username", decodeURIComponent(url.username));
  const env: Record<string, string> = {};
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args, env };
}

/** Run osm2pgsql (flex output, in-memory middle) into the staging schema; rejects with the tool's own error line. */
export function runOsm2pgsql(databaseUrl: string, file: string): Promise<{ stderr: string }> {
  const { args, env } = connectionParams(databaseUrl);
  const argv = [
    "--create",
    "--output=flex",
    `--style=${OSM_STYLE_FILE}`,
    "--cache=256",
    "--number-processes=2",
    "--log-level=warn",
    ...args,
    file,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      "osm2pgsql",
      argv,
      { env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024, timeout: 10 * 60_000 },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve({ stderr });
          return;
        }
        const text = String(stderr ?? "");
        const errorLines = text
          .split("\n")
          .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+/, "").trim())
          .filter((line) => /error/i.test(line));
        const code = (error as NodeJS.ErrnoException).code;
        const reason =
          code === "ENOENT"
            ? "osm2pgsql is not installed (Debian: apt-get install osm2pgsql)"
            : errorLines.join("; ") || text.trim().split("\n").slice(-3).join("; ") || error.message;
        reject(new OsmImportError(`osm2pgsql could not read ${path.basename(file)}: ${reason}`));
      },
    );
  });
}
