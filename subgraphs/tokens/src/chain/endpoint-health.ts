/** One RPC endpoint's health as a failover chain client last saw it. */
export interface EndpointHealth {
  /** The endpoint's URL as configured (callers mask it before showing it). */
  url: string;
  healthy: boolean;
  /** Of the last successful probe or request timed by a probe; null before any. */
  latencyMs: number | null;
  /** The last failure's message (host only, never the URL's secrets); null once it answered again. */
  lastError: string | null;
  checkedAt: Date | null;
}

/**
 * Why an endpoint is out of use decides what brings it back: a node that could not be asked
 * is back as soon as it answers anything, but a lagging one answers every request happily
 * (with stale data), so only a probe comparing heads can tell that it caught up.
 */
export type EndpointFailure = 'unavailable' | 'lagging';

interface EndpointRecord {
  health: EndpointHealth;
  failure: EndpointFailure | null;
  /** `Date.now()` of the failure, or of the last time an operation was let through to recheck it. */
  failedAt: number;
}

/**
 * The health of a failover client's endpoints, in preference order, and the order an
 * operation should try them in. Flips of `healthy` are collected and reported together by
 * `publish()`, so that one operation or probe that changes several endpoints reports once.
 */
export class EndpointHealthBoard {
  private readonly records: EndpointRecord[];
  private flipped = false;

  constructor(
    urls: readonly string[],
    private readonly recheckAfterMs: number,
    private readonly onHealthChange?: (endpoints: EndpointHealth[]) => void,
  ) {
    this.records = urls.map((url) => ({
      health: { url, healthy: true, latencyMs: null, lastError: null, checkedAt: null },
      failure: null,
      failedAt: 0,
    }));
  }

  /** Copies, so that a caller keeping them does not see (or cause) later changes. */
  snapshot(): EndpointHealth[] {
    return this.records.map(({ health }) => ({ ...health }));
  }

  /**
   * The indexes to try, best first: the healthy endpoints and the unavailable ones due for a
   * recheck, in preference order; then every other one, as a last resort before giving up
   * (the outage may be over). Letting one operation through to recheck an endpoint restarts
   * its wait, so that concurrent operations do not all queue behind a node that may still
   * take `timeoutMs` to fail.
   */
  trialOrder(now = Date.now()): number[] {
    const first: number[] = [];
    const lastResort: number[] = [];
    this.records.forEach((record, index) => {
      if (record.health.healthy) {
        first.push(index);
      } else if (record.failure === 'unavailable' && now - record.failedAt >= this.recheckAfterMs) {
        record.failedAt = now;
        first.push(index);
      } else {
        lastResort.push(index);
      }
    });
    return [...first, ...lastResort];
  }

  /**
   * The endpoint answered an operation (a result, or the chain refusing the call): back in
   * use, unless it is out for lagging, which an answer does not disprove.
   */
  answered(index: number): void {
    const record = this.records[index]!;
    record.health.checkedAt = new Date();
    if (record.failure === 'lagging') return;
    this.recover(record);
  }

  /**
   * A probe got the endpoint's head in `latencyMs` (only probes are timed: the one request
   * that is the same on every endpoint); `lag` says how far behind it is when too far.
   */
  probed(index: number, latencyMs: number, lag: string | null): void {
    const record = this.records[index]!;
    record.health.latencyMs = latencyMs;
    if (lag !== null) {
      this.failed(index, lag, 'lagging');
      return;
    }
    record.health.checkedAt = new Date();
    this.recover(record);
  }

  /** The endpoint could not be asked (`message` names its host only), or lags behind the others. */
  failed(index: number, message: string, failure: EndpointFailure = 'unavailable'): void {
    const record = this.records[index]!;
    record.failure = failure;
    record.failedAt = Date.now();
    record.health.lastError = message;
    record.health.checkedAt = new Date();
    this.setHealthy(record, false);
  }

  /** Tells `onHealthChange` of the flips since the last call, if there were any. */
  publish(): void {
    if (!this.flipped) return;
    this.flipped = false;
    this.onHealthChange?.(this.snapshot());
  }

  private recover(record: EndpointRecord): void {
    record.failure = null;
    record.health.lastError = null;
    this.setHealthy(record, true);
  }

  private setHealthy(record: EndpointRecord, healthy: boolean): void {
    if (record.health.healthy === healthy) return;
    record.health.healthy = healthy;
    this.flipped = true;
  }
}
