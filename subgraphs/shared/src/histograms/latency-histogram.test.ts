import { describe, expect, test } from 'vitest';
import { bucketOf, histogramBounds, histogramSize, mergeHistograms, quantile, singleValueHistogram } from './latency-histogram.ts';

function histogramOf(values: number[]): bigint[] {
  return mergeHistograms(values.map(singleValueHistogram));
}

describe('latency histograms', () => {
  test('put a value in the first bucket whose bound holds it, and above the last bound in the overflow bucket', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(1.5)).toBe(1);
    expect(bucketOf(100)).toBe(histogramBounds.indexOf(100));
    expect(bucketOf(1e9)).toBe(histogramSize - 1);
  });

  test('merge by adding counts bucket by bucket, in any order and grouping', () => {
    const a = histogramOf([3, 40, 40, 900]);
    const b = histogramOf([3, 12_000]);
    expect(mergeHistograms([a, b])).toEqual(histogramOf([3, 40, 40, 900, 3, 12_000]));
    expect(mergeHistograms([b, a])).toEqual(mergeHistograms([a, b]));
    expect(mergeHistograms([[], a.map(String)])).toEqual(a);
  });

  test('give percentiles within the bucket that holds them, and the same from merged hourly parts as from the whole', () => {
    const values = Array.from({ length: 1000 }, (_, index) => index + 1);
    const whole = histogramOf(values);
    const hourly = Array.from({ length: 10 }, (_, hour) => histogramOf(values.slice(hour * 100, hour * 100 + 100)));
    expect(quantile(mergeHistograms(hourly), 0.95)).toBe(quantile(whole, 0.95));
    // The 950th value (950) lies in the (750, 1000] bucket.
    const p95 = quantile(whole, 0.95)!;
    expect(p95).toBeGreaterThan(750);
    expect(p95).toBeLessThanOrEqual(1000);
    expect(quantile(whole, 0.5)).toBeGreaterThan(300);
    expect(quantile(whole, 0.5)).toBeLessThanOrEqual(500);
    expect(quantile(histogramOf([]), 0.5)).toBeNull();
  });
});
