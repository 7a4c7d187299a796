import { describe, expect, test } from 'vitest';
import { PropsValidatorCache } from './props-validators.ts';

const titled = { type: 'object', properties: { title: { type: 'string' } } };
const numbered = { type: 'object', properties: { title: { type: 'number' } } };

describe('PropsValidatorCache', () => {
  test('compiles a component version once and reuses it', () => {
    const cache = new PropsValidatorCache();
    const first = cache.validatorFor({ id: 'hero', version: 1, propsSchema: titled });
    expect(cache.validatorFor({ id: 'hero', version: 1, propsSchema: titled })).toBe(first);
    expect(cache.size).toBe(1);
  });

  test('compiles a new version of a component afresh, so a changed schema applies at once', () => {
    const cache = new PropsValidatorCache();
    expect(cache.validatorFor({ id: 'hero', version: 1, propsSchema: titled })({ title: 'x' })).toBe(true);
    expect(cache.validatorFor({ id: 'hero', version: 2, propsSchema: numbered })({ title: 'x' })).toBe(false);
  });

  test('drops the least recently used validator when full', () => {
    const cache = new PropsValidatorCache(2);
    const a = cache.validatorFor({ id: 'a', version: 1, propsSchema: titled });
    cache.validatorFor({ id: 'b', version: 1, propsSchema: titled });
    expect(cache.validatorFor({ id: 'a', version: 1, propsSchema: titled })).toBe(a);
    cache.validatorFor({ id: 'c', version: 1, propsSchema: titled });
    expect(cache.size).toBe(2);
    expect(cache.validatorFor({ id: 'a', version: 1, propsSchema: titled })).toBe(a);
    const b = cache.validatorFor({ id: 'b', version: 1, propsSchema: titled });
    expect(cache.validatorFor({ id: 'b', version: 1, propsSchema: titled })).toBe(b);
  });
});
