/** The outcome of counting one use against a limit. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Uses left in the current window after this one. */
  remaining: number;
  /** When denied: milliseconds until a use is allowed again. */
  retryAfterMs: number;
  /** Milliseconds until the window holds no use counted so far (all of `limit` available again). */
  resetMs: number;
}

/**
 * Counts uses in a sliding window: a use is allowed when fewer than `limit` uses were
 * allowed in the `windowMs` before it. Denied uses are not counted, so a client that
 * keeps trying does not push its own window further away.
 */
export interface RateLimitStore {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /** Where counts are kept now: shared by every instance, or this process only. */
  readonly mode: () => 'shared' | 'local';
  close(): Promise<void>;
}

/** One process's counts, for the embedded mode and as the fallback while Redis is away. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly hits = new Map<string, number[]>();
  readonly mode = () => 'local' as const;

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const now = Date.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - windowMs);
    if (recent.length < limit) {
      recent.push(now);
      this.hits.set(key, recent);
      return { allowed: true, limit, remaining: limit - recent.length, retryAfterMs: 0, resetMs: windowMs - (now - recent[0]!) };
    }
    this.hits.set(key, recent);
    const retryAfterMs = recent[0]! + windowMs - now;
    return { allowed: false, limit, remaining: 0, retryAfterMs, resetMs: recent.at(-1)! + windowMs - now };
  }

  async close(): Promise<void> {
    this.hits.clear();
  }

  /** Forgets windows that have fully passed, so idle keys do not pile up. */
  prune(maxWindowMs: number): void {
    const now = Date.now();
    for (const [key, times] of this.hits) if ((times.at(-1) ?? 0) <= now - maxWindowMs) this.hits.delete(key);
  }
}
