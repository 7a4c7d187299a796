import { pino } from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { isoTime } from './iso-time.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the time of a log line', () => {
  test("is pino's isoTime to the character, across milliseconds, seconds, days and years", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const instants = [
      Date.UTC(2026, 11, 4, 22, 41, 11, 123),
      Date.UTC(2026, 11, 4, 22, 41, 11, 124),
      Date.UTC(2026, 11, 4, 22, 41, 11, 999),
      Date.UTC(2026, 11, 4, 22, 41, 12, 0),
      Date.UTC(2026, 11, 4, 22, 41, 12, 7),
      Date.UTC(2026, 11, 4, 22, 41, 12, 42),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      // Back in time (a clock set back): the cached second must not stay.
      Date.UTC(2026, 11, 4, 22, 41, 11, 500),
    ];
    for (const instant of instants) {
      vi.setSystemTime(instant);
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    }
  });
});
