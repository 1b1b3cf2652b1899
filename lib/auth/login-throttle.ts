/**
 * Failed-login throttle, in memory per server process: after `maxFailures` wrong passwords for one username from one
 * address within `windowMs`, further attempts are refused until the window has passed. A success clears the count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; firstAt: number }>();

  constructor(
    private readonly maxFailures = 8,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private key(address: string, username: string): string {
    return `${address}|${username.toLowerCase()}`;
  }

  isBlocked(address: string, username: string): boolean {
    const entry = this.failures.get(this.key(address, username));
    if (!entry) return false;
    if (this.now() - entry.firstAt >= this.windowMs) {
      this.failures.delete(this.key(address, username));
      return false;
    }
    return entry.count >= this.maxFailures;
  }

  recordFailure(address: string, username: string): void {
    const key = this.key(address, username);
    const entry = this.failures.get(key);
    if (!entry || this.now() - entry.firstAt >= this.windowMs)
      this.failures.set(key, { count: 1, firstAt: this.now() });
    else entry.count += 1;
    if (this.failures.size > 10_000) this.prune();
  }

  recordSuccess(address: string, username: string): void {
    this.failures.delete(this.key(address, username));
  }

  private prune(): void {
    for (const [key, entry] of this.failures)
      if (this.now() - entry.firstAt >= this.windowMs) this.failures.delete(key);
  }
}

/** The client address as the server saw it (first X-Forwarded-For hop when a proxy sets it). */
export function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "local";
}
