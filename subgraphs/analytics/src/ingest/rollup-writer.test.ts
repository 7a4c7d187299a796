import { histogramSize } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { metricEvent } from './metric-event.ts';
import { microsToDecimal, rollupIncrements } from './rollup-writer.ts';

const org = '0195f1c2-0000-7000-8000-000000000001';

describe('rollup increments', () => {
  test("add events up per hour and UTC day, for the total and for the event's dimension value", () => {
    const increments = rollupIncrements([
      metricEvent(org, 'tokens.transfers', new Date('2026-12-01T10:15:00Z'), { dimension: 'token-a' }),
      metricEvent(org, 'tokens.transfers', new Date('2026-12-01T10:45:00Z'), { dimension: 'token-b' }),
      metricEvent(org, 'tokens.transfers', new Date('2026-12-01T23:59:59Z'), { dimension: 'token-a' }),
    ]);
    const byKey = Object.fromEntries(
      increments.map((i) => [`${i.grain} ${i.bucket.toISOString()} ${i.dimensionName ? `${i.dimensionName}=${i.dimension}` : '*'}`, Number(i.count)]),
    );
    expect(byKey).toEqual({
      'HOUR 2026-12-01T10:00:00.000Z *': 2,
      'HOUR 2026-12-01T10:00:00.000Z token=token-a': 1,
      'HOUR 2026-12-01T10:00:00.000Z token=token-b': 1,
      'HOUR 2026-12-01T23:00:00.000Z *': 1,
      'HOUR 2026-12-01T23:00:00.000Z token=token-a': 1,
      'DAY 2026-12-01T00:00:00.000Z *': 3,
      'DAY 2026-12-01T00:00:00.000Z token=token-a': 2,
      'DAY 2026-12-01T00:00:00.000Z token=token-b': 1,
    });
  });

  test('give each of an event\'s dimensions rows of their own, so a metric splits by any of them', () => {
    const increments = rollupIncrements([
      metricEvent(org, 'tokens.transfers', new Date('2026-12-01T10:15:00Z'), { dimensions: { token: 'token-a', kind: 'MINT' } }),
      metricEvent(org, 'tokens.transfers', new Date('2026-12-01T10:20:00Z'), { dimensions: { token: 'token-a', kind: 'TRANSFER' } }),
    ]);
    const daily = Object.fromEntries(
      increments.filter((i) => i.grain === 'DAY').map((i) => [`${i.dimensionName}:${i.dimension}`, Number(i.count)]),
    );
    expect(daily).toEqual({ ':': 2, 'token:token-a': 2, 'kind:MINT': 1, 'kind:TRANSFER': 1 });
  });

  test('keep a histogram for latency metrics only, and nothing for distinct metrics (counted from raw events)', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const increments = rollupIncrements([
      metricEvent(org, 'webhooks.latency', at, { dimension: 'delivered', units: 120, sample: 120 }),
      metricEvent(org, 'webhooks.deliveries', at, { dimension: 'delivered' }),
      metricEvent(org, 'cms.page.visitors', at, { dimension: 'page', subject: 'v1' }),
    ]);
    expect(increments.filter((i) => i.metric === 'cms.page.visitors')).toEqual([]);
    const latency = increments.find((i) => i.metric === 'webhooks.latency' && i.grain === 'HOUR' && i.dimensionName === '')!;
    expect(latency.histogram!.reduce((sum, count) => sum + count, 0n)).toBe(1n);
    expect(latency.micros).toBe(120_000_000n);
    expect(increments.find((i) => i.metric === 'webhooks.deliveries')!.histogram).toBeNull();
  });

  test("count an event reported in histogram buckets as all of its events, merging its buckets into the hour's and day's", () => {
    const at = new Date('2026-12-01T10:15:00Z');
    const buckets = (counts: Record<number, bigint>) => Array.from({ length: histogramSize }, (_, index) => counts[index] ?? 0n);
    const increments = rollupIncrements([
      { ...metricEvent(org, 'api.latency', at, { dimension: 'Dashboard', micros: 300_000_000n }), histogram: buckets({ 2: 3n, 9: 1n }) },
      { ...metricEvent(org, 'api.latency', new Date('2026-12-01T10:16:00Z'), { dimension: 'Dashboard', micros: 5_000_000n }), histogram: buckets({ 2: 1n }) },
    ]);
    const hourly = increments.find((i) => i.grain === 'HOUR' && i.dimensionName === 'operation')!;
    expect(hourly.count).toBe(5n);
    expect(hourly.micros).toBe(305_000_000n);
    expect(hourly.histogram).toEqual(buckets({ 2: 4n, 9: 1n }));
    expect(increments.find((i) => i.grain === 'DAY' && i.dimensionName === '')!.histogram).toEqual(buckets({ 2: 4n, 9: 1n }));
  });

  test('write millionths as exact decimals, negative ones included', () => {
    expect(microsToDecimal(1_000_000n)).toBe('1');
    expect(microsToDecimal(-1_500_000n)).toBe('-1.5');
    expect(microsToDecimal(7n)).toBe('0.000007');
    expect(microsToDecimal(123_456_789_012_345_678_901_234_567n)).toBe('123456789012345678901.234567');
  });
});
