import { describe, expect, test } from 'vitest';
import { assignVariant, assignmentBucket } from './assign-variant.ts';

const experiment = '0193a9a0-0000-7000-8000-000000000001';
const variants = [
  { key: 'control', weight: 50 },
  { key: 'bold', weight: 30 },
  { key: 'calm', weight: 20 },
];

describe('stable variant assignment', () => {
  test('gives a visitor the same variant every time', () => {
    for (let i = 0; i < 200; i++) {
      const visitor = `visitor-${i}`;
      expect(assignVariant(experiment, visitor, variants)).toBe(assignVariant(experiment, visitor, [...variants]));
    }
  });

  test('is a known function of the hash: the bucket is the first 48 bits of SHA-256 scaled to 10,000', () => {
    // sha256("e:v") = 0x181b3aa1c72a… → 0x181b3aa1c72a / 2^48 × 10,000 = 941.9…
    expect(assignmentBucket('e', 'v')).toBe(941);
    expect(assignVariant('e', 'v', [{ key: 'a', weight: 9 }, { key: 'b', weight: 91 }])).toBe('b');
    expect(assignVariant('e', 'v', [{ key: 'a', weight: 10 }, { key: 'b', weight: 90 }])).toBe('a');
  });

  test("spreads 10,000 visitors within a percentage point of each variant's weight", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const key = assignVariant(experiment, `v-${i}`, variants);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const variant of variants) {
      expect(Math.abs((counts.get(variant.key) ?? 0) / 100 - variant.weight)).toBeLessThan(1);
    }
  });

  test('buckets by cumulative weight in the given order', () => {
    const visitors = Array.from({ length: 500 }, (_, i) => `v-${i}`);
    for (const visitor of visitors) {
      const bucket = assignmentBucket(experiment, visitor);
      const expected = bucket < 5000 ? 'control' : bucket < 8000 ? 'bold' : 'calm';
      expect(assignVariant(experiment, visitor, variants)).toBe(expected);
    }
  });

  test('assigns independently per experiment', () => {
    const visitors = Array.from({ length: 1000 }, (_, i) => `v-${i}`);
    const same = visitors.filter(
      (visitor) => assignVariant('experiment-a', visitor, variants) === assignVariant('experiment-b', visitor, variants),
    ).length;
    // Independent assignments agree with probability 0.5² + 0.3² + 0.2² = 0.38.
    expect(same / visitors.length).toBeGreaterThan(0.3);
    expect(same / visitors.length).toBeLessThan(0.46);
  });

  test('refuses no variants or no weight', () => {
    expect(() => assignVariant(experiment, 'v', [])).toThrow();
    expect(() => assignVariant(experiment, 'v', [{ key: 'a', weight: 0 }])).toThrow();
  });
});
