import { describe, expect, test } from 'vitest';
import { cachePolicyOf } from './cache-policy.ts';

describe("a subgraph answer's Cache-Control", () => {
  test('allows caching with a positive max-age and an explicit scope', () => {
    expect(cachePolicyOf('max-age=300, private')).toEqual({ maxAgeSeconds: 300, scope: 'PRIVATE' });
    expect(cachePolicyOf('max-age=60, public')).toEqual({ maxAgeSeconds: 60, scope: 'PUBLIC' });
  });

  test('forbids it otherwise', () => {
    for (const header of [null, '', 'no-store', 'max-age=0, public', 'max-age=60', 'max-age=abc, private', 'max-age=60, public, no-cache']) {
      expect(cachePolicyOf(header)).toBeNull();
    }
  });
});
