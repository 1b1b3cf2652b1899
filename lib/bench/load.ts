import http from "node:http";
import { performance } from "node:perf_hooks";

export type Summary = {
  count: number;
  errors: number;
  seconds: number;
  throughput_rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
};

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function summarize(latencies: number[], errors: number, seconds: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    seconds: round(seconds, 3),
    throughput_rps: round(latencies.length / Math.max(seconds, 1e-9), 1),
    p50_ms: round(percentile(sorted, 50), 3),
    p95_ms: round(percentile(sorted, 95), 3),
    p99_ms: round(percentile(sorted, 99), 3),
    max_ms: round(sorted[sorted.length - 1] ?? 0, 3),
  };
}

/**
 * Run `task(item)` over `items` with `concurrency` workers, cycling through the list until `totalCount` calls or
 * `maxMs` elapse (whichever first). Returns per-call latency statistics.
 */
export async function runLoad<T>(
  items: readonly T[],
  task: (item: T) => Promise<void>,
  options: { concurrency: number; totalCount?: number; maxMs?: number; latencies?: number[] },
): Promise<Summary> {
  const total = options.totalCount ?? items.length;
  const deadline = performance.now() + (options.maxMs ?? 60_000);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const item = items[next++ % items.length] as T;
      const t0 = performance.now();
      try {
        await task(item);
        const elapsed = performance.now() - t0;
        latencies.push(elapsed);
        options.latencies?.push(elapsed);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

export type HttpResult = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A tiny keep-alive HTTP GET client for loopback load. */
export function createHttpClient(baseUrl: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const url = new URL(baseUrl);
  return {
    agent,
    get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path, method: "GET", agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        });
        req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${path}`)));
        req.on("error", reject);
        req.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}
