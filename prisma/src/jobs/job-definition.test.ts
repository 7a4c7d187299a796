import { describe, expect, test } from 'vitest';
import { defaultBackoff, jobSettings } from './job-definition.ts';

describe('defaultBackoff', () => {
  test('waits about 1 s after the first failure and doubles after each, within ±20%', () => {
    for (let run = 0; run < 200; run += 1) {
      expect(defaultBackoff(1)).toBeGreaterThanOrEqual(800);
      expect(defaultBackoff(1)).toBeLessThanOrEqual(1200);
      expect(defaultBackoff(4)).toBeGreaterThanOrEqual(6400);
      expect(defaultBackoff(4)).toBeLessThanOrEqual(9600);
    }
  });

  test('spreads the retries of jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => defaultBackoff(3)));
    expect(delays.size).toBeGreaterThan(1);
  });

  test('never waits more than an hour, however many attempts', () => {
    for (const attempt of [13, 20, 100, 5000]) {
      expect(defaultBackoff(attempt)).toBeLessThanOrEqual(3_600_000);
      expect(defaultBackoff(attempt)).toBeGreaterThanOrEqual(0.8 * 3_600_000);
    }
  });
});

describe('jobSettings', () => {
  test('fills in 5 attempts and a 30 s lease', () => {
    expect(jobSettings({ queue: 'mail' })).toMatchObject({ queue: 'mail', maxAttempts: 5, leaseMs: 30_000 });
  });

  test('refuses a queue without a name, fewer than one attempt, or a lease too short to renew', () => {
    expect(() => jobSettings({ queue: ' ' })).toThrow(/queue name/);
    expect(() => jobSettings({ queue: 'mail', maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => jobSettings({ queue: 'mail', maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    expect(() => jobSettings({ queue: 'mail', leaseMs: 10 })).toThrow(/leaseMs/);
  });
});
