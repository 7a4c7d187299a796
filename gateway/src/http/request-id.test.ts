import { describe, expect, test } from 'vitest';
import { requestIdFrom } from './request-id.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  test('keeps a sane id given by the caller', () => {
    expect(requestIdFrom('lb-1234.abc_def:5')).toBe('lb-1234.abc_def:5');
  });

  test('keeps an id of exactly 128 characters', () => {
    expect(requestIdFrom('a'.repeat(128))).toBe('a'.repeat(128));
  });

  test('takes the first of repeated headers', () => {
    expect(requestIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  test.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['an empty list of headers', []],
    ['an id of 129 characters', 'a'.repeat(129)],
    ['spaces', 'two words'],
    ['a line break', 'id\r\nx-injected: 1'],
    ['markup', '<script>'],
  ])('makes a new UUID instead of accepting %s', (_, incoming) => {
    const id = requestIdFrom(incoming);
    expect(id).toMatch(uuid);
    expect(id).not.toBe(incoming);
  });

  test('makes a different id for each request without one', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
