/**
 * The upper bounds (inclusive, in the metric's unit) of the buckets every latency-like
 * metric counts its events in; the last bucket takes everything above. Fixed for good:
 * rollups written with these bounds are merged by adding counts bucket by bucket, which
 * is what makes a p95 over 30 days computable from hourly rows. Shared because the
 * gateway counts its operations' durations into these buckets before analytics stores
 * them (`api.latency`): both sides must cut at the same bounds.
 */
export const histogramBounds: readonly number[] = [
  1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_500, 5_000, 10_000, 30_000, 60_000,
];

/** How many counts a histogram holds: one per bound, and one for above the last. */
export const histogramSize = histogramBounds.length + 1;

/** The bucket a value falls in. */
export function bucketOf(value: number): number {
  const index = histogramBounds.findIndex((bound) => value <= bound);
  return index === -1 ? histogramBounds.length : index;
}

/** A histogram holding one value. */
export function singleValueHistogram(value: number): bigint[] {
  const counts = new Array<bigint>(histogramSize).fill(0n);
  counts[bucketOf(value)] = 1n;
  return counts;
}

/** The element-wise sum of histograms (missing or empty ones count as zeros). */
export function mergeHistograms(histograms: readonly (readonly (bigint | number | string)[])[]): bigint[] {
  const total = new Array<bigint>(histogramSize).fill(0n);
  for (const histogram of histograms) {
    histogram.forEach((count, index) => {
      if (index < histogramSize) total[index] = total[index]! + BigInt(count);
    });
  }
  return total;
}

/**
 * The value below which a fraction `q` (0–1) of the events fall, interpolated linearly
 * inside the bucket that holds it; null for an empty histogram. Above the last bound,
 * the last bound is the best the histogram can say.
 */
export function quantile(histogram: readonly bigint[], q: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0n);
  if (total === 0n) return null;
  const rank = q * Number(total);
  let seen = 0;
  for (const [index, count] of histogram.entries()) {
    const next = seen + Number(count);
    if (next >= rank && count > 0n) {
      if (index >= histogramBounds.length) return histogramBounds.at(-1)!;
      const lower = index === 0 ? 0 : histogramBounds[index - 1]!;
      const upper = histogramBounds[index]!;
      return lower + ((upper - lower) * (rank - seen)) / Number(count);
    }
    seen = next;
  }
  return histogramBounds.at(-1)!;
}
