import { describe, expect, test } from 'vitest';
import { jsonNestingExceeds } from './json-nesting.ts';

describe('jsonNestingExceeds', () => {
  test('counts arrays and objects, not scalars', () => {
    expect(jsonNestingExceeds('text', 0)).toBe(false);
    expect(jsonNestingExceeds({ a: 1 }, 1)).toBe(false);
    expect(jsonNestingExceeds({ a: [1] }, 1)).toBe(true);
    expect(jsonNestingExceeds({ a: [1] }, 2)).toBe(false);
  });

  test('handles nesting far deeper than the call stack would', () => {
    let deep: unknown = [];
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(jsonNestingExceeds(deep, 128)).toBe(true);
  });
});
