import { describe, expect, test } from 'vitest';
import { addLookups, hitRate, lookupsBetween } from './cache-metrics.ts';

describe("the bench's reading of the cache counter", () => {
  test('hits and misses between two readings, in all and by subgraph and type; bypasses and uncacheable fetches are not lookups', () => {
    const before = { 'identity\tUser\thit': 10, 'identity\tUser\tmiss': 5, 'cms\tPage\tmiss': 2 };
    const after = {
      'identity\tUser\thit': 40,
      'identity\tUser\tmiss': 15,
      'cms\tPage\tmiss': 6,
      'cms\tPage\thit': 4,
      'tokens\tToken\tbypass': 99,
      'identity\tUser\tuncacheable': 7,
    };
    const lookups = lookupsBetween(before, after)!;
    expect(lookups.hit).toBe(34);
    expect(lookups.miss).toBe(14);
    expect(lookups.byKind).toEqual({ 'identity User': { hit: 30, miss: 10 }, 'cms Page': { hit: 4, miss: 4 } });
    expect(hitRate(lookups.byKind['identity User']!)).toBe(0.75);
  });

  test('runs add up kind by kind; a run without the counter makes the sum unknown', () => {
    const one = { hit: 3, miss: 1, byKind: { 'cms Page': { hit: 3, miss: 1 } } };
    const two = { hit: 1, miss: 1, byKind: { 'cms Page': { hit: 1, miss: 0 }, 'identity User': { hit: 0, miss: 1 } } };
    expect(addLookups([one, two])).toEqual({
      hit: 4,
      miss: 2,
      byKind: { 'cms Page': { hit: 4, miss: 1 }, 'identity User': { hit: 0, miss: 1 } },
    });
    expect(addLookups([one, null])).toBeNull();
    expect(lookupsBetween(null, {})).toBeNull();
  });
});
