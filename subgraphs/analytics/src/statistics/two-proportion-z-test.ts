import { twoSidedPValue } from './normal-distribution.ts';

/** How an experiment's variants are compared, as `ExperimentResults.method` states it. */
export const zTestMethod = 'two-proportion z-test, pooled, two-sided, α = 0.05, each variant against control';

/** The significance level. */
export const alpha = 0.05;

/**
 * The smallest count of conversions, and of visitors who did not convert, each arm needs
 * before a difference is called significant: the usual condition (n·p ≥ 5 and n·(1 − p) ≥ 5)
 * under which the normal approximation the z-test rests on holds. Below it, z and p are
 * still reported, but `significant` is false.
 */
export const minimumOutcomesPerArm = 5;

/** Visitors and conversions of one arm. */
export interface Arm {
  visitors: number;
  conversions: number;
}

/** A variant against control: null z and p when the test is undefined (an empty arm, or no variation at all). */
export interface ZTestResult {
  zScore: number | null;
  pValue: number | null;
  significant: boolean;
}

/**
 * The pooled two-proportion z-test of `variant` against `control`:
 * z = (p₁ − p₀) / √(p̂(1 − p̂)(1/n₀ + 1/n₁)), p̂ = (c₀ + c₁)/(n₀ + n₁), two-sided p = 2(1 − Φ(|z|)).
 * Significant when p < α and both arms pass the sample-size guard above.
 */
export function twoProportionZTest(control: Arm, variant: Arm): ZTestResult {
  if (control.visitors === 0 || variant.visitors === 0) return { zScore: null, pValue: null, significant: false };
  const pooled = (control.conversions + variant.conversions) / (control.visitors + variant.visitors);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / control.visitors + 1 / variant.visitors));
  if (standardError === 0) return { zScore: null, pValue: null, significant: false };
  const zScore = (variant.conversions / variant.visitors - control.conversions / control.visitors) / standardError;
  const pValue = twoSidedPValue(zScore);
  return { zScore, pValue, significant: pValue < alpha && largeEnough(control) && largeEnough(variant) };
}

function largeEnough(arm: Arm): boolean {
  return arm.conversions >= minimumOutcomesPerArm && arm.visitors - arm.conversions >= minimumOutcomesPerArm;
}
