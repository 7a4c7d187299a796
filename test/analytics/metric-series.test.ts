import { describe, expect, test } from 'vitest';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import {
  dayMs,
  eventually,
  expectContiguous,
  hourMs,
  hourStart,
  metricsOf,
  refusal,
  seriesQuery,
  settled,
  summaryQuery,
  trackMutation,
  type Series,
  type Summary,
} from './analytics-kit.ts';

/**
 * metricSeries (and the periods of metricSummary), from custom events sent with chosen
 * timestamps (trackEvent takes any time in the last 24 hours): points time-aligned in the
 * time zone, zero-filled, split by dimension, and totals that match the summary.
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const minuteMs = 60_000;

async function organizationWithEvents(events: { name: string; at: Date }[]) {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  for (const event of events) {
    await owner.client.data(trackMutation, { input: { name: event.name, orgId: organization.id, timestamp: event.at.toISOString() } });
  }
  const metrics = metricsOf(owner.client, organization.id);
  const wide = { from: new Date(Date.now() - 26 * hourMs).toISOString(), to: new Date(Date.now() + hourMs).toISOString() };
  // Every event counted before the test reads anything.
  expect(await settled(() => metrics.value('events.tracked', wide), events.length)).toBe(events.length);
  return { owner, organization, metrics };
}

/** The local date and time of `at` in `timeZone`, as numbers. */
function localParts(at: string | Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((item) => item.type === type)!.value;
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')), hour: Number(part('hour')), minute: Number(part('minute')), second: Number(part('second')), weekday: part('weekday') };
}

/** What each point should hold: the events at or after its start and before the next point's (or `end`). */
function expectedPoints(points: { t: string }[], end: Date, events: Date[]): number[] {
  return points.map((point, index) => {
    const start = new Date(point.t).getTime();
    const next = index + 1 < points.length ? new Date(points[index + 1]!.t).getTime() : end.getTime();
    return events.filter((at) => at.getTime() >= start && at.getTime() < next).length;
  });
}

describe('hourly series', () => {
  test('one point per hour from the hour holding `from`, each at its hour\'s start, zero where nothing happened, adding up to the total and the summary', async () => {
    const now = new Date();
    const hour = hourStart(now);
    const at = [new Date(now.getTime() - 5 * hourMs), new Date(now.getTime() - 3 * hourMs), new Date(now.getTime() - 3 * hourMs), now];
    const { metrics } = await organizationWithEvents(at.map((time) => ({ name: 'click', at: time })));
    const from = new Date(hour.getTime() - 6 * hourMs);
    const to = new Date(hour.getTime() + hourMs);

    const [series] = await metrics.series({ name: 'events.tracked', from, to, interval: 'HOUR' });
    expect(series).toMatchObject({ metric: 'events.tracked', dimension: null, key: null, label: 'events.tracked', unit: 'events', statistic: 'VALUE', interval: 'HOUR', timeZone: 'UTC' });
    expect(expectContiguous(series!.points, from, hourMs, 7)).toEqual([]);
    expect(series!.points.map((point) => point.v)).toEqual([0, 1, 0, 2, 0, 0, 1]);
    expect(series!.total).toBe(4);
    expect((await metrics.summary('events.tracked', { range: { from: from.toISOString(), to: to.toISOString() } })).value).toBe(4);

    // Bounds inside hours: the points are still whole hours, from the one holding `from`
    // to the one holding the instant before `to`.
    const [unaligned] = await metrics.series({ name: 'events.tracked', from: new Date(from.getTime() + 20 * minuteMs), to: new Date(to.getTime() - 30 * minuteMs), interval: 'HOUR' });
    expect(expectContiguous(unaligned!.points, from, hourMs, 7)).toEqual([]);
    expect(unaligned!.points.map((point) => point.v)).toEqual([0, 1, 0, 2, 0, 0, 1]);
  });

  test('split by a dimension: a series per value, largest first, the rest summed as __other__ (labelled Other), the totals adding up', async () => {
    const now = new Date();
    const events = [
      ...Array.from({ length: 3 }, () => ({ name: 'alpha', at: now })),
      ...Array.from({ length: 2 }, () => ({ name: 'beta', at: new Date(now.getTime() - 2 * hourMs) })),
      { name: 'gamma', at: now },
      { name: 'delta', at: new Date(now.getTime() - hourMs) },
    ];
    const { metrics } = await organizationWithEvents(events);
    const from = new Date(hourStart(now).getTime() - 2 * hourMs);
    const to = new Date(hourStart(now).getTime() + hourMs);

    const top2 = await metrics.series({ name: 'events.tracked', from, to, interval: 'HOUR', dimension: 'name', top: 2 });
    expect(top2.map((series) => [series.key, series.label, series.dimension, series.total])).toEqual([
      ['alpha', 'alpha', 'name', 3],
      ['beta', 'beta', 'name', 2],
      ['__other__', 'Other', 'name', 2],
    ]);
    expect(top2.map((series) => series.points.map((point) => point.v))).toEqual([
      [0, 0, 3],
      [2, 0, 0],
      [0, 1, 1],
    ]);
    for (const series of top2) expect(expectContiguous(series.points, from, hourMs, 3)).toEqual([]);

    // Ties rank by key; the default top is 5, so no Other here.
    const all = await metrics.series({ name: 'events.tracked', from, to, interval: 'HOUR', dimension: 'name' });
    expect(all.map((series) => [series.key, series.total])).toEqual([
      ['alpha', 3],
      ['beta', 2],
      ['delta', 1],
      ['gamma', 1],
    ]);
    const [total] = await metrics.series({ name: 'events.tracked', from, to, interval: 'HOUR' });
    expect(all.reduce((sum, series) => sum + series.total, 0)).toBe(total!.total);
  });
});

describe('days, weeks and months in a time zone', () => {
  test('daily points start at midnight in the time zone (America/New_York), and each holds the events of its local day', async () => {
    const now = new Date();
    const at = [new Date(now.getTime() - 22 * hourMs), new Date(now.getTime() - 13 * hourMs), new Date(now.getTime() - 7 * hourMs), new Date(now.getTime() - 60_000)];
    const { metrics } = await organizationWithEvents(at.map((time) => ({ name: 'visit', at: time })));
    const from = new Date(now.getTime() - 2 * dayMs);
    const [series] = await metrics.series({ name: 'events.tracked', from, to: now, interval: 'DAY', timeZone: 'America/New_York' });
    expect(series).toMatchObject({ interval: 'DAY', timeZone: 'America/New_York' });
    expect(series!.points.length).toBe(3);
    for (const point of series!.points) expect(localParts(point.t, 'America/New_York')).toMatchObject({ hour: 0, minute: 0, second: 0 });
    expect(expectContiguous(series!.points, new Date(series!.points[0]!.t), dayMs, 3)).toEqual([]);
    expect(new Date(series!.points[0]!.t).getTime()).toBeLessThanOrEqual(from.getTime());
    expect(series!.points.map((point) => point.v)).toEqual(expectedPoints(series!.points, new Date(new Date(series!.points[2]!.t).getTime() + dayMs), at));
    expect(series!.total).toBe(4);
  });

  test('weekly points start on Mondays and monthly points on the 1st, at local midnight (across daylight-saving changes)', async () => {
    const now = new Date();
    const at = [new Date(now.getTime() - 20 * hourMs), new Date(now.getTime() - hourMs)];
    const { metrics } = await organizationWithEvents(at.map((time) => ({ name: 'visit', at: time })));
    const zone = 'America/New_York';
    const weeks = (await metrics.series({ name: 'events.tracked', from: new Date(now.getTime() - 20 * dayMs), to: now, interval: 'WEEK', timeZone: zone }))[0]!;
    expect(weeks.points.length).toBeGreaterThanOrEqual(3);
    expect(weeks.points.length).toBeLessThanOrEqual(4);
    for (const point of weeks.points) expect(localParts(point.t, zone)).toMatchObject({ weekday: 'Mon', hour: 0, minute: 0, second: 0 });
    expect(weeks.points.map((point) => point.v)).toEqual(expectedPoints(weeks.points, new Date(new Date(weeks.points.at(-1)!.t).getTime() + 7 * dayMs), at));
    expect(weeks.total).toBe(2);

    // 70 days back: three or four months; this time of year, across the end of summer time.
    const from = new Date(now.getTime() - 70 * dayMs);
    const months = (await metrics.series({ name: 'events.tracked', from, to: now, interval: 'MONTH', timeZone: zone }))[0]!;
    const monthIndex = (parts: { year: number; month: number }) => parts.year * 12 + parts.month;
    expect(months.points.length).toBe(monthIndex(localParts(now, zone)) - monthIndex(localParts(from, zone)) + 1);
    for (const point of months.points) expect(localParts(point.t, zone)).toMatchObject({ day: 1, hour: 0, minute: 0, second: 0 });
    expect(months.points.map((point) => point.v)).toEqual(expectedPoints(months.points, now, at));
    expect(months.total).toBe(2);
  });

  test('in a time zone half an hour off UTC (Asia/Kolkata), an event in the first half hour of a local day counts on that day, never the day before', async () => {
    // The latest instant at least 2 minutes ago (and within the 24 hours trackEvent
    // accepts) between 18:35 and 18:55 UTC: 00:05–00:25 in India, the start of a local day.
    let at = Math.floor(Date.now() / minuteMs) * minuteMs - 2 * minuteMs;
    while (!((at % dayMs) >= (18 * 60 + 35) * minuteMs && (at % dayMs) < (18 * 60 + 55) * minuteMs)) at -= minuteMs;
    const event = new Date(at);
    expect(localParts(event, 'Asia/Kolkata').hour).toBe(0);
    const { owner, organization } = await organizationWithEvents([{ name: 'visit', at: event }]);
    const localMidnight = new Date(at - (at % dayMs) + (18 * 60 + 30) * minuteMs);
    const response = await owner.client.request(seriesQuery, {
      orgId: organization.id,
      name: 'events.tracked',
      from: new Date(localMidnight.getTime() - dayMs).toISOString(),
      to: new Date(localMidnight.getTime() + dayMs).toISOString(),
      interval: 'DAY',
      timeZone: 'Asia/Kolkata',
    });
    // A zone the rollups cannot split days in may be refused; a series it answers must be right.
    if (refusal(response).code === 'BAD_USER_INPUT') return;
    const points = (response.data?.metricSeries as Series[] | undefined)?.[0]?.points ?? [];
    expect(points.map((point) => point.t)).toEqual([new Date(localMidnight.getTime() - dayMs).toISOString(), localMidnight.toISOString()]);
    // The event happened after local midnight: it belongs to the second day.
    expect(points.map((point) => point.v)).toEqual([0, 1]);
  });
});

describe('the period of a summary', () => {
  test('a summary\'s value is the events inside the period it reports (from, to), whatever minutes the asked bounds fall on', async () => {
    const hour = hourStart(Date.now() - 3 * hourMs);
    const event = new Date(hour.getTime() + 40 * minuteMs);
    const { owner, organization } = await organizationWithEvents([{ name: 'visit', at: event }]);
    const outcomes: Record<string, unknown> = {};
    for (const [fromMinutes, toMinutes] of [[0, 60], [60, 120], [30, 50], [-10, 10], [45, 75]] as const) {
      const range = {
        from: new Date(hour.getTime() + fromMinutes * minuteMs).toISOString(),
        to: new Date(hour.getTime() + toMinutes * minuteMs).toISOString(),
      };
      const response = await owner.client.request(summaryQuery, { orgId: organization.id, name: 'events.tracked', range });
      const label = `:${fromMinutes}–:${toMinutes}`;
      if (refusal(response).code === 'BAD_USER_INPUT') {
        outcomes[label] = 'refused';
        continue;
      }
      const summary = response.data!.metricSummary as Summary;
      // The event is at :40 of its hour: it counts if and only if the reported period holds it.
      const inside = new Date(summary.from).getTime() <= event.getTime() && event.getTime() < new Date(summary.to).getTime();
      outcomes[label] = summary.value === (inside ? 1 : 0) ? 'consistent' : `value ${summary.value} over ${summary.from} – ${summary.to}`;
    }
    // Whole hours must be answered; other bounds answered consistently or refused.
    expect(outcomes[':0–:60']).toBe('consistent');
    expect(outcomes[':60–:120']).toBe('consistent');
    for (const [label, outcome] of Object.entries(outcomes)) expect(['consistent', 'refused'], label).toContain(outcome);
  });

  test('summaries of consecutive periods add up to the summary of both, and previousValue is the period just before', async () => {
    const now = new Date();
    const { metrics } = await organizationWithEvents([
      { name: 'visit', at: new Date(now.getTime() - 10 * hourMs) },
      { name: 'visit', at: new Date(now.getTime() - 9 * hourMs) },
      { name: 'visit', at: new Date(now.getTime() - 2 * hourMs) },
    ]);
    const split = hourStart(now.getTime() - 6 * hourMs);
    const start = new Date(split.getTime() - 6 * hourMs);
    const end = new Date(split.getTime() + 6 * hourMs);
    const later = await metrics.summary('events.tracked', { range: { from: split.toISOString(), to: end.toISOString() } });
    const earlier = await metrics.summary('events.tracked', { range: { from: start.toISOString(), to: split.toISOString() } });
    const both = await metrics.summary('events.tracked', { range: { from: start.toISOString(), to: end.toISOString() } });
    expect([earlier.value, later.value, both.value]).toEqual([2, 1, 3]);
    expect(later).toMatchObject({ from: split.toISOString(), to: end.toISOString(), previousValue: 2, change: -1, changeRatio: -0.5 });
    const series = await eventually(
      () => metrics.series({ name: 'events.tracked', from: start, to: end, interval: 'HOUR' }),
      (result: Series[]) => result.length === 1,
    );
    expect(series[0]!.total).toBe(3);
  });
});
