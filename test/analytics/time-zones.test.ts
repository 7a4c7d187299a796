import { describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { appendAuditHistory, waitForChainCounted } from './audit-history.ts';

const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const series = `query ($orgId: ID!, $from: DateTime!, $to: DateTime!, $interval: MetricInterval!, $timeZone: String) {
  metricSeries(orgId: $orgId, name: "cms.edits", from: $from, to: $to, interval: $interval, timeZone: $timeZone) {
    timeZone points { t v } total
  }
}`;

/** An organization whose chain holds edits at these instants, once the ingester has counted them. */
async function organizationWithEdits(instants: string[]): Promise<{ owner: SignedUpUser; orgId: string }> {
  const owner = await signUpUser(fixture.graph.client);
  const { id } = await createOrganization(owner);
  await appendAuditHistory(fixture.db, id, instants.map((at) => ({ occurredAt: new Date(at) })));
  await waitForChainCounted(fixture.db, id);
  return { owner, orgId: id };
}

async function points(owner: SignedUpUser, variables: Record<string, unknown>) {
  const data = await owner.client.data<{ metricSeries: { timeZone: string; points: { t: string; v: number }[]; total: number }[] }>(
    series,
    variables,
  );
  return data.metricSeries[0]!;
}

describe('days in a time zone', () => {
  test('start at local midnight across the spring DST change (a 23-hour day), each edit in its local day', async () => {
    // Berlin moved from UTC+1 to UTC+2 at 2026-03-29 01:00Z.
    const { owner, orgId } = await organizationWithEdits([
      '2026-03-27T23:30:00Z', // 28 March, 00:30 in Berlin
      '2026-03-28T22:59:00Z', // 28 March, 23:59 in Berlin
      '2026-03-28T23:00:00Z', // 29 March, 00:00 in Berlin
      '2026-03-29T21:59:00Z', // 29 March, 23:59 in Berlin (UTC+2 by then)
      '2026-03-29T22:00:00Z', // 30 March, 00:00 in Berlin
    ]);
    const berlin = await points(owner, {
      orgId,
      from: '2026-03-27T23:00:00Z',
      to: '2026-03-30T22:00:00Z',
      interval: 'DAY',
      timeZone: 'Europe/Berlin',
    });
    expect(berlin.timeZone).toBe('Europe/Berlin');
    expect(berlin.points).toEqual([
      { t: '2026-03-27T23:00:00.000Z', v: 2 },
      { t: '2026-03-28T23:00:00.000Z', v: 2 },
      { t: '2026-03-29T22:00:00.000Z', v: 1 },
    ]);
    expect(berlin.total).toBe(5);
    // The same edits by UTC day: the days cut elsewhere.
    const utc = await points(owner, { orgId, from: '2026-03-27T00:00:00Z', to: '2026-03-30T00:00:00Z', interval: 'DAY' });
    expect(utc.points).toEqual([
      { t: '2026-03-27T00:00:00.000Z', v: 1 },
      { t: '2026-03-28T00:00:00.000Z', v: 2 },
      { t: '2026-03-29T00:00:00.000Z', v: 2 },
    ]);
  });

  test('the autumn DST change makes a 25-hour day, and its hours are 25 points', async () => {
    // New York moved from UTC-4 to UTC-5 at 2026-11-01 06:00Z.
    const { owner, orgId } = await organizationWithEdits([
      '2026-11-01T04:00:00Z', // 1 November, 00:00 in New York (EDT)
      '2026-11-01T05:30:00Z', // 01:30 EDT
      '2026-11-01T06:30:00Z', // 01:30 EST: the hour that happens twice
      '2026-11-02T04:59:00Z', // 1 November, 23:59 EST
    ]);
    const days = await points(owner, {
      orgId,
      from: '2026-11-01T04:00:00Z',
      to: '2026-11-02T05:00:00Z',
      interval: 'DAY',
      timeZone: 'America/New_York',
    });
    expect(days.points).toEqual([{ t: '2026-11-01T04:00:00.000Z', v: 4 }]);
    const hours = await points(owner, {
      orgId,
      from: '2026-11-01T04:00:00Z',
      to: '2026-11-02T05:00:00Z',
      interval: 'HOUR',
      timeZone: 'America/New_York',
    });
    expect(hours.points).toHaveLength(25);
    expect(hours.points.filter((point) => point.v > 0)).toEqual([
      { t: '2026-11-01T04:00:00.000Z', v: 1 },
      { t: '2026-11-01T05:00:00.000Z', v: 1 },
      { t: '2026-11-01T06:00:00.000Z', v: 1 },
      { t: '2026-11-02T04:00:00.000Z', v: 1 },
    ]);
  });

  test('weeks start on Monday and months on the 1st in the zone, and empty ones are zeros, not gaps', async () => {
    const { owner, orgId } = await organizationWithEdits([
      '2026-06-07T21:59:00Z', // Sunday 7 June, 23:59 in Berlin: the week of 1 June
      '2026-06-07T22:00:00Z', // Monday 8 June, 00:00 in Berlin
      '2026-08-31T22:30:00Z', // 1 September, 00:30 in Berlin
    ]);
    const weeks = await points(owner, {
      orgId,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-22T00:00:00Z',
      interval: 'WEEK',
      timeZone: 'Europe/Berlin',
    });
    expect(weeks.points).toEqual([
      { t: '2026-05-31T22:00:00.000Z', v: 1 },
      { t: '2026-06-07T22:00:00.000Z', v: 1 },
      { t: '2026-06-14T22:00:00.000Z', v: 0 },
      { t: '2026-06-21T22:00:00.000Z', v: 0 },
    ]);
    const months = await points(owner, {
      orgId,
      from: '2026-06-01T00:00:00Z',
      to: '2026-10-01T00:00:00Z',
      interval: 'MONTH',
      timeZone: 'Europe/Berlin',
    });
    expect(months.points).toEqual([
      { t: '2026-05-31T22:00:00.000Z', v: 2 },
      { t: '2026-06-30T22:00:00.000Z', v: 0 },
      { t: '2026-07-31T22:00:00.000Z', v: 0 },
      { t: '2026-08-31T22:00:00.000Z', v: 1 },
      { t: '2026-09-30T22:00:00.000Z', v: 0 },
    ]);
  });

  test('a zone half an hour off UTC is refused, with why, rather than counted into the wrong days', async () => {
    const { owner, orgId } = await organizationWithEdits(['2026-07-10T10:15:00Z']);
    const response = await owner.client.request(series, {
      orgId,
      from: '2026-07-09T18:30:00Z',
      to: '2026-07-11T18:30:00Z',
      interval: 'DAY',
      timeZone: 'Asia/Kolkata',
    });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toContain('not a whole number of hours off UTC');
    // Adelaide is half an hour off all year, through its summer time too.
    const adelaide = await owner.client.request(series, {
      orgId,
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
      interval: 'WEEK',
      timeZone: 'Australia/Adelaide',
    });
    expect(adelaide.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
