import { describe, expect, test, vi } from 'vitest';
import type { MetricChanges } from '../ingest/metric-updates.ts';
import { throttledMetricChanges } from './metric-update-stream.ts';

/** A bus subscription the test pushes messages into. */
function source() {
  const waiting: MetricChanges[] = [];
  const readers: ((result: IteratorResult<MetricChanges>) => void)[] = [];
  let returned = false;
  const iterator: AsyncIterator<MetricChanges> = {
    next: () =>
      new Promise((resolve) => {
        const message = waiting.shift();
        if (message) resolve({ done: false, value: message });
        else readers.push(resolve);
      }),
    return: async () => {
      returned = true;
      for (const reader of readers.splice(0)) reader({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return {
    iterator,
    push(name: string, dayValue: number) {
      const message: MetricChanges = {
        organizationId: 'org',
        at: new Date().toISOString(),
        metrics: [{ name, hour: '', hourValue: dayValue, day: '', dayValue }],
      };
      const reader = readers.shift();
      if (reader) reader({ done: false, value: message });
      else waiting.push(message);
    },
    returned: () => returned,
  };
}

describe('metric changes for a subscriber', () => {
  test('pass at most one change a second per metric, the latest one, and ignore metrics not asked for', async () => {
    vi.useFakeTimers();
    try {
      const bus = source();
      const stream = throttledMetricChanges(bus.iterator, new Set(['a', 'b']), 1_000);
      const received: [string, number][] = [];
      const reading = (async () => {
        for await (const change of stream) received.push([change.name, change.dayValue]);
      })();
      bus.push('a', 1);
      bus.push('b', 1);
      bus.push('ignored', 1);
      await vi.advanceTimersByTimeAsync(10);
      bus.push('a', 2);
      bus.push('a', 3);
      await vi.advanceTimersByTimeAsync(500);
      expect(received).toEqual([
        ['a', 1],
        ['b', 1],
      ]);
      await vi.advanceTimersByTimeAsync(600);
      expect(received).toEqual([
        ['a', 1],
        ['b', 1],
        ['a', 3],
      ]);
      await stream.return!();
      await reading;
      expect(bus.returned()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
