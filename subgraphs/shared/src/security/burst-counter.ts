/** What counting one occurrence towards a burst found. */
export interface BurstObservation {
  /** Occurrences of the key in the window, this one included (at most the threshold: older ones beyond it are forgotten). */
  count: number;
  /**
   * True for one occurrence per window and key: the one that brought the count to the
   * threshold (or, once the window of the last alert has passed, the next one at it).
   */
  alert: boolean;
}

/**
 * Counts occurrences of a key (failed sign-ins on one account, refusals of one actor…) in a
 * sliding window and says when they reach a threshold, at most once per window per key.
 * Every occurrence counts, however the trail that records them is throttled.
 */
export interface BurstCounter {
  observe(key: string, threshold: number, windowMs: number): Promise<BurstObservation>;
  close(): Promise<void>;
}

/**
 * One process's counts: for the embedded mode (where the whole graph is one process) and as
 * the fallback while Redis is away. Keeps at most `threshold` times per key.
 */
export class MemoryBurstCounter implements BurstCounter {
  private readonly times = new Map<string, number[]>();
  private readonly alertedUntil = new Map<string, number>();

  async observe(key: string, threshold: number, windowMs: number): Promise<BurstObservation> {
    const now = Date.now();
    const recent = (this.times.get(key) ?? []).filter((at) => at > now - windowMs);
    recent.push(now);
    const kept = recent.slice(-threshold);
    this.times.set(key, kept);
    if (kept.length < threshold || (this.alertedUntil.get(key) ?? 0) > now) return { count: kept.length, alert: false };
    this.alertedUntil.set(key, now + windowMs);
    return { count: kept.length, alert: true };
  }

  async close(): Promise<void> {
    this.times.clear();
    this.alertedUntil.clear();
  }

  /** Forgets keys whose window has fully passed, so idle keys do not pile up. */
  prune(maxWindowMs: number): void {
    const now = Date.now();
    for (const [key, times] of this.times) if ((times.at(-1) ?? 0) <= now - maxWindowMs) this.times.delete(key);
    for (const [key, until] of this.alertedUntil) if (until <= now) this.alertedUntil.delete(key);
  }
}
