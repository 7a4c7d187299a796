import { describe, expect, test } from 'vitest';
import { erfc, normalCdf, twoSidedPValue } from './normal-distribution.ts';

/** Reference values from a correctly rounded libm (CPython's math.erfc). */
const references: [number, number][] = [
  [0, 1],
  [0.1, 0.8875370839817152],
  [0.5, 1 - 0.5204998778130465],
  [0.99, 0.1614919304446302],
  [1, 0.15729920705028513],
  [1.5, 0.033894853524689274],
  [2, 0.004677734981047265],
  [2.9, 4.109787809945886e-5],
  [3, 2.2090496998585438e-5],
  [5, 1.5374597944280351e-12],
  [8, 1.1224297172982928e-29],
];

describe('the normal distribution', () => {
  test.each(references)('erfc(%f) matches the reference to 1e-12 relative error', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });

  test('erfc of a negative number is 2 − erfc of its opposite', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
  });

  test('Φ(1.96) ≈ 0.975 and the two-sided p-value of 1.96 ≈ 0.05', () => {
    expect(Math.abs(normalCdf(1.96) - 0.9750021048517795)).toBeLessThan(1e-12);
    expect(Math.abs(twoSidedPValue(1.96) - 0.04999579029644087)).toBeLessThan(1e-12);
    expect(twoSidedPValue(-1.96)).toBe(twoSidedPValue(1.96));
    expect(normalCdf(0)).toBe(0.5);
  });
});
