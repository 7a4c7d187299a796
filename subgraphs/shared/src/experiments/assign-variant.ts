import { createHash } from 'node:crypto';

/** A variant as assignment sees it: its key and its weight (a share of 100, or any positive whole number). */
export interface WeightedVariant {
  key: string;
  weight: number;
}

/** How many buckets visitors are spread over: weights are resolved to 1/100 of a percent. */
export const assignmentBuckets = 10_000;

/**
 * The bucket, in [0, 10000), a visitor falls in for an experiment: SHA-256 of
 * `experimentId:visitorId`, its first 48 bits scaled to the range. Scaling rather than
 * taking a remainder keeps every bucket equally likely (to 1 part in 2^48 / 10^4); the
 * experiment id in the hash makes a visitor's buckets independent from one experiment to
 * the next, so the same visitors are not always the ones in the first variant.
 */
export function assignmentBucket(experimentId: string, visitorId: string): number {
  const digest = createHash('sha256').update(`${experimentId}:${visitorId}`).digest();
  return Math.floor((digest.readUIntBE(0, 6) / 2 ** 48) * assignmentBuckets);
}

/**
 * Which variant a visitor sees: the same one every time for the same experiment and
 * visitor, on every process, with each variant's share of visitors its share of the
 * total weight. Buckets are taken by cumulative weight in the variants' given (stored)
 * order, so the order must not change while an experiment runs. The cms (to serve a
 * variant) and analytics (to count the visitor's exposure) both call it, and so agree.
 */
export function assignVariant(experimentId: string, visitorId: string, variants: readonly WeightedVariant[]): string {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  if (variants.length === 0 || !(total > 0)) throw new Error('assignVariant needs at least one variant with a positive weight');
  const point = (assignmentBucket(experimentId, visitorId) * total) / assignmentBuckets;
  let cumulative = 0;
  for (const variant of variants) {
    cumulative += variant.weight;
    if (point < cumulative) return variant.key;
  }
  // Unreachable (point < total); here for the type checker and rounding's sake.
  return variants[variants.length - 1]!.key;
}
