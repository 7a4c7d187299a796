import { describe, expect, test } from 'vitest';
import { twoProportionZTest } from './two-proportion-z-test.ts';

describe('the two-proportion z-test', () => {
  test('matches a hand-computed example: 100/1000 against 130/1000', () => {
    // p̂ = 230/2000 = 0.115; SE = √(0.115 · 0.885 · (1/1000 + 1/1000)) = 0.0142671…;
    // z = (0.13 − 0.10) / SE = 2.10274…; p = erfc(z/√2) = 0.035488…
    const result = twoProportionZTest({ visitors: 1000, conversions: 100 }, { visitors: 1000, conversions: 130 });
    expect(result.zScore).toBeCloseTo(2.102740605622114, 10);
    expect(result.pValue).toBeCloseTo(0.03548845046647473, 10);
    expect(result.significant).toBe(true);
  });

  test('a smaller difference is not significant, and a worse variant has a negative z', () => {
    const result = twoProportionZTest({ visitors: 1000, conversions: 100 }, { visitors: 1000, conversions: 90 });
    expect(result.zScore).toBeLessThan(0);
    expect(result.pValue).toBeGreaterThan(0.05);
    expect(result.significant).toBe(false);
  });

  test('is undefined with an empty arm or no variation, and never significant on a tiny sample', () => {
    expect(twoProportionZTest({ visitors: 0, conversions: 0 }, { visitors: 10, conversions: 5 })).toEqual({ zScore: null, pValue: null, significant: false });
    expect(twoProportionZTest({ visitors: 10, conversions: 0 }, { visitors: 10, conversions: 0 })).toEqual({ zScore: null, pValue: null, significant: false });
    // 0/8 against 4/8: p ≈ 0.02, but four conversions are too few for the normal approximation.
    const tiny = twoProportionZTest({ visitors: 8, conversions: 0 }, { visitors: 8, conversions: 4 });
    expect(tiny.pValue).toBeLessThan(0.05);
    expect(tiny.significant).toBe(false);
  });
});
