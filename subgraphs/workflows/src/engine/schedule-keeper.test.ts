import { describe, expect, test } from 'vitest';
import { nextTick } from './schedule-keeper.ts';

const berlin = (cron: string) => ({ cron, timeZone: 'Europe/Berlin' });

describe('a schedule in a time zone', () => {
  test('keeps its local time across the change to summer time', () => {
    // 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST, from 29 March 2026).
    expect(nextTick(berlin('0 9 * * *'), new Date('2026-03-28T09:00:00Z')).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextTick(berlin('0 9 * * *'), new Date('2026-03-27T10:00:00Z')).toISOString()).toBe('2026-03-28T08:00:00.000Z');
  });

  test('keeps its local time across the change back to winter time', () => {
    expect(nextTick(berlin('0 9 * * 1'), new Date('2026-10-20T00:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  test('fires a repeated local time once when the clocks go back', () => {
    // 02:30 happens twice in Berlin on 25 October 2026 (at 00:30 and 01:30 UTC).
    const first = nextTick(berlin('30 2 * * *'), new Date('2026-10-25T00:00:00Z'));
    const second = nextTick(berlin('30 2 * * *'), first);
    expect(first.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(second.getTime() - first.getTime()).toBeGreaterThan(20 * 3600_000);
  });

  test('reads six fields as seconds first', () => {
    expect(nextTick(berlin('*/5 * * * * *'), new Date('2026-06-01T12:00:03Z')).toISOString()).toBe('2026-06-01T12:00:05.000Z');
  });
});
