import { describe, expect, test } from 'vitest';
import { delayDurationMs, delayUntil } from './delay.ts';

const startedAt = new Date('2026-03-28T23:30:00.000Z');

describe('when a delay is over', () => {
  test('is its duration after the step first started', () => {
    expect(delayUntil({ duration: 'PT15M' }, startedAt).toISOString()).toBe('2026-03-28T23:45:00.000Z');
    expect(delayUntil({ duration: 'P1DT2H3M4S' }, startedAt).toISOString()).toBe('2026-03-30T01:33:04.000Z');
    expect(delayUntil({ duration: 'P30D' }, startedAt).toISOString()).toBe('2026-04-27T23:30:00.000Z');
    expect(delayUntil({ duration: 'PT90S' }, startedAt).toISOString()).toBe('2026-03-28T23:31:30.000Z');
  });

  test('is its until, whenever the step started', () => {
    expect(delayUntil({ until: '2027-01-01T00:00:00+01:00' }, startedAt).toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });

  test('refuses durations beyond 30 days, outside the subset, and dates that are not dates', () => {
    expect(() => delayUntil({ duration: 'P30DT1S' }, startedAt)).toThrow('duration: P30DT1S is longer than 30 days');
    expect(() => delayUntil({ duration: 'PT721H' }, startedAt)).toThrow(/longer than 30 days/);
    for (const duration of ['P', 'PT', 'P1W', 'P1M', 'PT1.5S', '15M', 'P1DT']) {
      expect(() => delayDurationMs(duration), duration).toThrow(/is not a duration/);
    }
    expect(() => delayUntil({ until: 'tomorrow' }, startedAt)).toThrow('until: "tomorrow" is not a date and time');
  });
});
