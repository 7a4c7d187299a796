import { describe, expect, test } from 'vitest';
import { operationNameLabeler } from './operation-name-label.ts';

describe('operationNameLabeler', () => {
  test('keeps the first names up to the cap, folds later ones into other and unnamed ones into anonymous', () => {
    const label = operationNameLabeler(2);
    expect(label('Dashboard')).toBe('Dashboard');
    expect(label(undefined)).toBe('anonymous');
    expect(label('Me')).toBe('Me');
    expect(label('Third')).toBe('other');
    expect(label('Dashboard')).toBe('Dashboard');
    expect(label('')).toBe('anonymous');
  });

  test('folds names that are not GraphQL names, or are too long, into other without using up the cap', () => {
    const label = operationNameLabeler(1);
    expect(label('a b')).toBe('other');
    expect(label('x'.repeat(101))).toBe('other');
    expect(label('Fine')).toBe('Fine');
  });
});
