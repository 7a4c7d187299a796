import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, unique } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { dayMs, hourMs, hourStart, refusal, seriesQuery, summaryQuery } from './analytics-kit.ts';

/**
 * What metricCatalogue lists, and how metricSummary and metricSeries refuse bad
 * arguments and callers: BAD_USER_INPUT saying what is wrong (and what would be right),
 * UNAUTHENTICATED, FORBIDDEN.
 */
const fixture = useTestGraph({ ANALYTICS_INGEST_INTERVAL_MS: '100' });

const catalogueQuery = `{ metricCatalogue { name description unit aggregation dimensions source rawOnly } }`;

async function member() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, orgId: organization.id };
}

function summary(client: GraphQLClient, variables: Record<string, unknown>) {
  return client.request(summaryQuery, { range: { last: '1d' }, dimension: null, ...variables });
}

function series(client: GraphQLClient, variables: Record<string, unknown>) {
  const to = hourStart(Date.now());
  return client.request(seriesQuery, {
    from: new Date(to.getTime() - 24 * hourMs).toISOString(),
    to: to.toISOString(),
    interval: 'HOUR',
    ...variables,
  });
}

describe('metricCatalogue', () => {
  test('lists every metric once with its unit, aggregation, dimensions and source; only distinct counts are raw-only', async () => {
    const { owner } = await member();
    const catalogue = (await owner.client.data(catalogueQuery)).metricCatalogue as Record<string, any>[];
    const byName = Object.fromEntries(catalogue.map((metric) => [metric.name, metric]));
    expect(catalogue.length).toBe(Object.keys(byName).length);
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        'members.count', 'members.joined', 'tokens.created', 'tokens.deployed', 'tokens.transfers', 'tokens.volume', 'tokens.holders',
        'ai.messages', 'ai.tokens', 'ai.cost', 'cms.pages.published', 'cms.page.views', 'cms.page.visitors', 'cms.edits',
        'webhooks.deliveries', 'webhooks.latency', 'audit.entries', 'security.events', 'events.tracked',
      ]),
    );
    expect(byName['members.count']).toMatchObject({ unit: 'members', aggregation: 'GAUGE', dimensions: [], rawOnly: false });
    expect(byName['tokens.volume']).toMatchObject({ unit: 'tokens', aggregation: 'SUM', dimensions: ['token'] });
    expect(byName['ai.cost']).toMatchObject({ unit: 'USD', aggregation: 'SUM', dimensions: ['model'] });
    expect(byName['webhooks.latency']).toMatchObject({ unit: 'ms', aggregation: 'HISTOGRAM', dimensions: ['outcome'] });
    expect(byName['events.tracked']).toMatchObject({ aggregation: 'COUNT', dimensions: ['name'] });
    expect(catalogue.filter((metric) => metric.rawOnly).map((metric) => metric.name)).toEqual(['cms.page.visitors']);
    for (const metric of catalogue) expect(metric.source.length, metric.name).toBeGreaterThan(0);
  });
});

describe('bad arguments are BAD_USER_INPUT', () => {
  test('an unknown metric, whose message lists every valid name', async () => {
    const { owner, orgId } = await member();
    const names = ((await owner.client.data(catalogueQuery)).metricCatalogue as { name: string }[]).map((metric) => metric.name);
    for (const response of [await summary(owner.client, { orgId, name: 'members.total' }), await series(owner.client, { orgId, name: 'members.total' })]) {
      const { code, message } = refusal(response);
      expect(code).toBe('BAD_USER_INPUT');
      expect(message).toContain('members.total');
      for (const name of names) expect(message).toContain(name);
      expect(response.data).toBeNull();
    }
  });

  test('a dimension the metric does not have, naming the ones it has', async () => {
    const { owner, orgId } = await member();
    const wrong = refusal(await summary(owner.client, { orgId, name: 'tokens.volume', dimension: 'chain' }));
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect(wrong.message).toMatch(/"chain"/);
    expect(wrong.message).toMatch(/token/);
    const none = refusal(await series(owner.client, { orgId, name: 'members.count', dimension: 'token' }));
    expect(none.code).toBe('BAD_USER_INPUT');
    expect(none.message).toMatch(/no dimensions/);
  });

  test('a period that ends before it starts (or as it starts), or longer than 400 days, or a bad `last`', async () => {
    const { owner, orgId } = await member();
    const now = Date.now();
    const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    for (const range of [
      { from: iso(0), to: iso(-hourMs) },
      { from: iso(0), to: iso(0) },
      { from: iso(-401 * dayMs), to: iso(0) },
      { last: '7w' },
      { last: '0d' },
      { last: '401d' },
      { last: '1d', from: iso(-hourMs), to: iso(0) },
      { from: iso(-hourMs) },
      {},
    ]) {
      expect(refusal(await summary(owner.client, { orgId, name: 'members.count', range })).code, JSON.stringify(range)).toBe('BAD_USER_INPUT');
    }
    expect(refusal(await series(owner.client, { orgId, name: 'members.count', from: iso(0), to: iso(-hourMs) })).code).toBe('BAD_USER_INPUT');
    expect(refusal(await series(owner.client, { orgId, name: 'members.count', from: iso(0), to: iso(0) })).code).toBe('BAD_USER_INPUT');
    // The longest allowed are answered.
    expect(errorCodes(await summary(owner.client, { orgId, name: 'members.count', range: { last: '400d' } }))).toEqual([]);
  });

  test('more than 2,000 points in a series', async () => {
    const { owner, orgId } = await member();
    const to = hourStart(Date.now());
    const hours = (count: number) => ({ from: new Date(to.getTime() - count * hourMs).toISOString(), to: to.toISOString() });
    const refused = refusal(await series(owner.client, { orgId, name: 'members.count', ...hours(2_001), interval: 'HOUR' }));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.message).toMatch(/2,?000 points/);
    expect(refusal(await series(owner.client, { orgId, name: 'events.tracked', ...hours(5_000), interval: 'HOUR' })).code).toBe('BAD_USER_INPUT');
    // The same period in days is fine.
    expect(errorCodes(await series(owner.client, { orgId, name: 'members.count', ...hours(2_001), interval: 'DAY' }))).toEqual([]);
  });

  test('a series of exactly 2,000 hourly points (the documented maximum) is answered, with its 2,000 points', async () => {
    const { owner, orgId } = await member();
    const to = hourStart(Date.now());
    const response = await series(owner.client, { orgId, name: 'members.count', from: new Date(to.getTime() - 2_000 * hourMs).toISOString(), to: to.toISOString() });
    expect({ errors: errorCodes(response), points: response.data?.metricSeries?.[0]?.points.length }).toEqual({ errors: [], points: 2_000 });
  });

  test('a time zone that is not an IANA name', async () => {
    const { owner, orgId } = await member();
    for (const timeZone of ['Mars/Olympus_Mons', 'Europe/Berlinn', 'UTC+2', '+05:30', 'not a zone', '', "UTC'; SELECT 1; --"]) {
      const { code, message } = refusal(await series(owner.client, { orgId, name: 'members.count', interval: 'DAY', timeZone }));
      expect(code, timeZone).toBe('BAD_USER_INPUT');
      expect(message).toMatch(/time zone/);
    }
    const berlin = await series(owner.client, { orgId, name: 'members.count', interval: 'DAY', timeZone: 'Europe/Berlin' });
    expect(berlin.data?.metricSeries[0]).toMatchObject({ timeZone: 'Europe/Berlin' });
  });

  test('an old time zone name Node still knows but Postgres does not (US/Pacific-New, Canada/East-Saskatchewan) is answered or refused as BAD_USER_INPUT, never an internal error', async () => {
    const { owner, orgId } = await member();
    const outcomes: Record<string, string> = {};
    for (const timeZone of ['US/Pacific-New', 'Canada/East-Saskatchewan']) {
      const response = await series(owner.client, { orgId, name: 'members.count', interval: 'DAY', timeZone });
      outcomes[timeZone] = (response.data?.metricSeries?.[0]?.points.length ?? 0) > 0 ? 'answered' : String(refusal(response).code);
    }
    for (const [timeZone, outcome] of Object.entries(outcomes)) expect(['answered', 'BAD_USER_INPUT'], `${timeZone}: ${outcome}`).toContain(outcome);
  });

  test('a percentile or mean asked of a metric that is not a histogram', async () => {
    const { owner, orgId } = await member();
    for (const statistic of ['P50', 'P95', 'P99', 'MEAN']) {
      const { code, message } = refusal(await series(owner.client, { orgId, name: 'events.tracked', statistic }));
      expect(code, statistic).toBe('BAD_USER_INPUT');
      expect(message).toMatch(/histogram/);
    }
    // VALUE applies to every metric, a histogram's included (its event count).
    expect(errorCodes(await series(owner.client, { orgId, name: 'events.tracked', statistic: 'VALUE' }))).toEqual([]);
    expect((await series(owner.client, { orgId, name: 'webhooks.latency', statistic: 'VALUE' })).data?.metricSeries[0]).toMatchObject({ statistic: 'VALUE', total: 0 });
  });

  test('a top outside 1–20, and an organization id that is not one', async () => {
    const { owner, orgId } = await member();
    for (const top of [0, 21, -1]) {
      expect(refusal(await series(owner.client, { orgId, name: 'events.tracked', dimension: 'name', top })).code, String(top)).toBe('BAD_USER_INPUT');
    }
    expect(refusal(await summary(owner.client, { orgId: 'acme', name: 'members.count' })).code).toBe('BAD_USER_INPUT');
    expect(refusal(await series(owner.client, { orgId: 'acme', name: 'members.count' })).code).toBe('BAD_USER_INPUT');
  });
});

describe('who may read', () => {
  test('anonymous callers are UNAUTHENTICATED; non-members and former members FORBIDDEN; every member role may read', async () => {
    const { owner, orgId } = await member();
    expect(errorCodes(await summary(fixture.graph.client, { orgId, name: 'members.count' }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await series(fixture.graph.client, { orgId, name: 'members.count' }))).toEqual(['UNAUTHENTICATED']);
    const stranger = await signUpUser(fixture.graph.client);
    expect(errorCodes(await series(stranger.client, { orgId, name: 'members.count' }))).toEqual(['FORBIDDEN']);
    const viewer = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, viewer, 'VIEWER');
    expect(errorCodes(await summary(viewer.client, { orgId, name: 'members.count' }))).toEqual([]);
    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, { orgId, userId: viewer.id });
    expect(errorCodes(await summary(viewer.client, { orgId, name: 'members.count' }))).toEqual(['FORBIDDEN']);
  });

  test('an API key reads its own organization\'s metrics with analytics:read, and nothing without it or of another organization', async () => {
    const { owner, orgId } = await member();
    const other = await member();
    const key = async (scopes: string[]) =>
      fixture.graph.client.as(
        (await owner.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
          input: { orgId, name: `key ${unique()}`, scopes },
        })).createApiKey.secret,
      );
    const reader = await key(['analytics:read']);
    const writer = await key(['analytics:write']);
    expect((await summary(reader, { orgId, name: 'members.count' })).data?.metricSummary).toMatchObject({ metric: { name: 'members.count' } });
    expect(errorCodes(await series(reader, { orgId, name: 'members.count' }))).toEqual([]);
    expect(errorCodes(await summary(writer, { orgId, name: 'members.count' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await summary(reader, { orgId: other.orgId, name: 'members.count' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await writer.request(catalogueQuery))).toEqual(['FORBIDDEN']);
  });
});
