import type { MetricChanges } from '../ingest/metric-updates.ts';

/** One metric's change, as a subscriber receives it. */
export type MetricChange = MetricChanges['metrics'][number] & { organizationId: string; at: string };

/**
 * The changes of the named metrics, at most one per metric every `minIntervalMs`: a change
 * that comes sooner waits for the end of the interval, and only the latest waiting one of
 * a metric is sent. A plain iterator (see guardedStream): `return()` ends it at once.
 */
export function throttledMetricChanges(
  source: AsyncIterator<MetricChanges>,
  names: ReadonlySet<string>,
  minIntervalMs = 1_000,
): AsyncIterableIterator<MetricChange> {
  const ready: MetricChange[] = [];
  const readers: ((result: IteratorResult<MetricChange>) => void)[] = [];
  const lastSent = new Map<string, number>();
  const waiting = new Map<string, MetricChange>();
  const timers = new Map<string, NodeJS.Timeout>();
  let ended = false;

  const deliver = (change: MetricChange) => {
    lastSent.set(change.name, Date.now());
    const reader = readers.shift();
    if (reader) reader({ done: false, value: change });
    else ready.push(change);
  };
  const offer = (change: MetricChange) => {
    const since = Date.now() - (lastSent.get(change.name) ?? -Infinity);
    if (since >= minIntervalMs && !timers.has(change.name)) return deliver(change);
    waiting.set(change.name, change);
    if (timers.has(change.name)) return;
    timers.set(
      change.name,
      setTimeout(() => {
        timers.delete(change.name);
        const latest = waiting.get(change.name);
        waiting.delete(change.name);
        if (latest && !ended) deliver(latest);
      }, minIntervalMs - since),
    );
  };
  const end = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!ended) {
      ended = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      for (const reader of readers.splice(0)) reader({ done: true, value: undefined });
      await source.return?.();
    }
    return { done: true, value: undefined };
  };
  void (async () => {
    try {
      for (;;) {
        const result = await source.next();
        if (result.done || ended) break;
        for (const metric of result.value.metrics) {
          if (names.has(metric.name)) offer({ ...metric, organizationId: result.value.organizationId, at: result.value.at });
        }
      }
    } catch {
      // The bus ended the subscription (a subscriber too slow): end the stream too.
    }
    await end();
  })();
  return {
    next() {
      if (ready.length > 0) return Promise.resolve({ done: false, value: ready.shift()! });
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => readers.push(resolve));
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
