import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type ServerHandle = { baseUrl: string; child: ChildProcess; stop: () => Promise<void>; log: () => string };

/** Start server.ts (production unless `dev`) on a free loopback port and wait until it answers. */
export async function startServer(options: {
  root: string;
  databaseUrl: string;
  secret: string;
  dev?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerHandle> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [path.join(options.root, "node_modules/tsx/dist/cli.mjs"), "server.ts"];
  if (options.dev) args.push("--dev");
  const child = spawn(process.execPath, args, {
    cwd: options.root,
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME_BIND: "127.0.0.1",
      NODE_ENV: options.dev ? "development" : "production",
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_SECRET: options.secret,
      NEXTAUTH_URL: baseUrl,
      WANGGE_BENCH: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/api/tiles/basemap/0/0/0`);
      if (response.status === 204 || response.status === 200) {
        const health = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
        if (health?.ok) return { baseUrl, child, stop, log: () => output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`server did not become healthy within ${options.timeoutMs ?? 120_000} ms:\n${output}`);
}
