import { describe, expect, test } from 'vitest';
import { batchSizeOf } from './batch-size.ts';

const body = (text: string) => Buffer.from(text, 'utf8');

describe('batchSizeOf', () => {
  test('counts the operations of a JSON array body', () => {
    expect(batchSizeOf(body('[{"query":"{ me { id } }"},{"query":"{ me { id } }"}]'))).toBe(2);
    expect(batchSizeOf(body('  \n[]'))).toBe(0);
  });

  test('is null for a single operation, which is no batch', () => {
    expect(batchSizeOf(body('{"query":"{ me { id } }"}'))).toBeNull();
  });

  test('is null for a body that is not JSON, leaving Apollo to refuse it', () => {
    expect(batchSizeOf(body('[{"query": '))).toBeNull();
    expect(batchSizeOf(body(''))).toBeNull();
  });
});
