import type http from "node:http";
import net from "node:net";
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

type Pending = { resolve: (result: HttpResult) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * One keep-alive HTTP/1.1 connection, one request at a time (no pipelining), responses framed by Content-Length
 * (the tile route always sends it; 204/304 have no body). Leaner than node:http's client, whose per-request
 * CPU (~0.1 ms here) comes out of the same two cores as the server and PostgreSQL it measures.
 */
class LeanConnection {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private head: { status: number; headers: http.IncomingHttpHeaders; length: number } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  request(text: string, path: string): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`timeout: ${path}`)), 30_000);
      this.pending = { resolve, reject, timer };
      if (!this.socket) {
        const socket = net.connect(this.port, this.host);
        socket.setNoDelay(true);
        socket.on("data", (chunk: Buffer) => this.onData(chunk));
        // events of a socket already given up on (fail() replaced it) must not touch the next request
        socket.on("error", (error) => {
          if (this.socket === socket) this.fail(error);
        });
        socket.on("close", () => {
          if (this.socket === socket) this.fail(new Error("connection closed"));
        });
        this.socket = socket;
      }
      this.socket.write(text);
    });
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    this.head = undefined;
    this.buffer = Buffer.alloc(0);
    this.socket?.destroy();
    this.socket = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (!this.head) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const lines = this.buffer.toString("latin1", 0, end).split("\r\n");
      const status = Number(lines[0]?.split(" ", 3)[1] ?? 0);
      const headers: http.IncomingHttpHeaders = {};
      for (let index = 1; index < lines.length; index++) {
        const line = lines[index] ?? "";
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      if (headers["transfer-encoding"]) {
        this.fail(new Error("chunked responses are not supported"));
        return;
      }
      const length = status === 204 || status === 304 ? 0 : Number(headers["content-length"] ?? 0);
      this.head = { status, headers, length };
      this.buffer = this.buffer.subarray(end + 4);
    }
    if (this.buffer.length < this.head.length) return;
    const body = this.buffer.subarray(0, this.head.length);
    const { status, headers } = this.head;
    this.buffer = Buffer.alloc(0);
    this.head = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    if (headers.connection === "close") {
      this.socket?.destroy();
      this.socket = undefined;
    }
    pending.resolve({ status, headers, body });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/** A tiny keep-alive HTTP GET client for loopback load: up to `maxSockets` connections, reused. */
export function createHttpClient(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const port = Number(url.port || 80);
  const idle: LeanConnection[] = [];
  const all: LeanConnection[] = [];
  const waiting: ((connection: LeanConnection) => void)[] = [];
  const acquire = (): Promise<LeanConnection> => {
    const free = idle.pop();
    if (free) return Promise.resolve(free);
    if (all.length < maxSockets) {
      const connection = new LeanConnection(url.hostname, port);
      all.push(connection);
      return Promise.resolve(connection);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (connection: LeanConnection) => {
    const next = waiting.shift();
    if (next) next(connection);
    else idle.push(connection);
  };
  return {
    async get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
      let text = `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n`;
      for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
      text += "\r\n";
      const connection = await acquire();
      try {
        return await connection.request(text, path);
      } finally {
        release(connection);
      }
    },
    close() {
      for (const connection of all) connection.close();
    },
  };
}
