import { performance } from 'node:perf_hooks';
import { histogramBounds } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { hourMs, settled } from './analytics-kit.ts';

/*
 * The gateway's operations as analytics keeps them (api.latency, api.errors,
 * api.failures), read through operationPerformance and serviceLevel. A database of this
 * file's own: the platform-wide figures are then this graph's operations alone, and a
 * test can break a table for a moment to make the graph fail for real.
 */
const fixture = useTestGraphOnOwnDatabase({ ANALYTICS_INGEST_INTERVAL_MS: '50', API_USAGE_FLUSH_MS: '200' });

const listComponents = `query ListComponents($orgId: ID!) { components(orgId: $orgId, first: 1) { edges { node { id } } } }`;
const unnamedComponents = `query ($orgId: ID!) { components(orgId: $orgId, first: 1) { edges { node { id } } } }`;
const badSummary = `query BadSummary($orgId: ID!) { metricSummary(orgId: $orgId, name: "no.such.metric", range: { last: "1d" }) { value } }`;
const listTemplates = `query ListTemplates($orgId: ID!) { templates(orgId: $orgId, first: 1) { edges { node { id } } } }`;
const invalidField = `query InvalidField($orgId: ID!) { components(orgId: $orgId) { nope } }`;

const performanceQuery = `query Performance($orgId: ID, $from: DateTime!, $to: DateTime!) {
  operationPerformance(orgId: $orgId, from: $from, to: $to, first: 100) {
    operation count errorCount errorRate failureCount p50 p95 p99 mean
  }
  serviceLevel(orgId: $orgId, from: $from, to: $to) {
    from to requests latencyThresholdMs fastRatio p95 failures availability availabilityTarget errorBudgetRemaining
  }
}`;

interface OperationFigures {
  operation: string;
  count: number;
  errorCount: number;
  errorRate: number;
  failureCount: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

interface Performance {
  operationPerformance: OperationFigures[];
  serviceLevel: {
    from: string;
    to: string;
    requests: number;
    latencyThresholdMs: number;
    fastRatio: number | null;
    p95: number | null;
    failures: number;
    availability: number | null;
    availabilityTarget: number;
    errorBudgetRemaining: number;
  };
}

/** The period every read asks for: the hours around now. */
function period() {
  return { from: new Date(Date.now() - hourMs).toISOString(), to: new Date(Date.now() + hourMs).toISOString() };
}

async function readPerformance(client: GraphQLClient, orgId: string | null): Promise<Performance> {
  return client.data<Performance>(performanceQuery, { orgId, ...period() });
}

/** Each named operation's count, error count and failure count, as `{ name: [count, errors, failures] }`. */
function countsOf(performance: Performance, names: readonly string[]): Record<string, [number, number, number]> {
  return Object.fromEntries(
    performance.operationPerformance
      .filter((figures) => names.includes(figures.operation))
      .map((figures) => [figures.operation, [figures.count, figures.errorCount, figures.failureCount]]),
  );
}

/** Waits until the named operations show `expected`, then reads again after more reports and rounds: counted once. */
async function settledCounts(
  client: GraphQLClient,
  orgId: string | null,
  expected: Record<string, [number, number, number]>,
): Promise<Performance> {
  const names = Object.keys(expected);
  await settled(async () => countsOf(await readPerformance(client, orgId), names), expected);
  return readPerformance(client, orgId);
}

/** Runs an operation `times` times, one after another, and returns how long each took as the client saw it (ms). */
async function timed(client: GraphQLClient, query: string, variables: Record<string, unknown>, times: number) {
  const durations: number[] = [];
  const codes: string[][] = [];
  for (let run = 0; run < times; run += 1) {
    const started = performance.now();
    codes.push(errorCodes(await client.request(query, variables)));
    durations.push(performance.now() - started);
  }
  return { durations, codes };
}

/**
 * The most a percentile `q` of the gateway's durations can read, given what the client
 * measured: the gateway's time for an operation lies inside the client's (same process,
 * same clock), so its k-th shortest is at most the client's k-th shortest, and the
 * histogram places the percentile at most at the upper bound of the bucket holding it.
 */
function percentileCeiling(clientDurations: number[], q: number): number {
  const sorted = [...clientDurations].sort((a, b) => a - b);
  const kth = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
  return histogramBounds.find((bound) => kth <= bound) ?? histogramBounds.at(-1)!;
}

async function organizationWithOwner(): Promise<{ owner: SignedUpUser; orgId: string }> {
  const owner = await signUpUser(fixture.graph.client);
  return { owner, orgId: (await createOrganization(owner)).id };
}

describe('operationPerformance', () => {
  test("lists an organization's operations with exact counts and error counts, and percentiles within the histogram's buckets", async () => {
    const { owner, orgId } = await organizationWithOwner();
    const fast = await timed(owner.client, listComponents, { orgId }, 12);
    expect(fast.codes.flat()).toEqual([]);
    const refused = await timed(owner.client, badSummary, { orgId }, 3);
    expect(refused.codes).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT']]);
    await timed(owner.client, unnamedComponents, { orgId }, 2);
    // Refused before it runs (it does not validate): no operation, so not counted.
    expect((await timed(owner.client, invalidField, { orgId }, 1)).codes).toEqual([['BAD_USER_INPUT']]);

    const expected = { ListComponents: [12, 0, 0], BadSummary: [3, 3, 0], anonymous: [2, 0, 0] } as Record<string, [number, number, number]>;
    const answer = await settledCounts(owner.client, orgId, expected);
    expect(countsOf(answer, [...Object.keys(expected), 'InvalidField'])).toEqual(expected);

    const byName = new Map(answer.operationPerformance.map((figures) => [figures.operation, figures]));
    const components = byName.get('ListComponents')!;
    expect(components.errorRate).toBe(0);
    expect(byName.get('BadSummary')!.errorRate).toBe(1);
    for (const [q, value] of [[0.5, components.p50], [0.95, components.p95], [0.99, components.p99]] as const) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(percentileCeiling(fast.durations, q));
    }
    expect(components.p50).toBeLessThanOrEqual(components.p95);
    expect(components.p95).toBeLessThanOrEqual(components.p99);
    // The mean is exact (the durations' total over the count), not bucketed.
    expect(components.mean).toBeGreaterThan(0);
    expect(components.mean).toBeLessThanOrEqual(fast.durations.reduce((sum, ms) => sum + ms, 0) / fast.durations.length);
    // Most answered first (the reads themselves, `Performance`, are among them).
    const counts = answer.operationPerformance.map((figures) => figures.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    // User errors are errors, not failures: availability is whole and no budget is spent.
    const level = answer.serviceLevel;
    expect(level.requests).toBe(counts.reduce((sum, count) => sum + count, 0));
    expect(level).toMatchObject({ failures: 0, availability: 1, availabilityTarget: 0.999, errorBudgetRemaining: 1, latencyThresholdMs: 200 });
    expect(new Date(level.from).getTime() % hourMs).toBe(0);
    expect(new Date(level.to).getTime() % hourMs).toBe(0);
  });

  test('only OWNERs and ADMINs read their organization, system administrators any or the whole platform, nobody else anything', async () => {
    const { owner, orgId } = await organizationWithOwner();
    const admin = await signUpUser(fixture.graph.client);
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, admin, 'ADMIN');
    await addMember(owner, orgId, member, 'MEMBER');
    const other = await organizationWithOwner();
    await timed(owner.client, `query SecretOfA($orgId: ID!) { components(orgId: $orgId) { edges { node { id } } } }`, { orgId }, 2);
    await timed(other.owner.client, `query OwnOfB($orgId: ID!) { components(orgId: $orgId) { edges { node { id } } } }`, { orgId: other.orgId }, 1);
    await settledCounts(owner.client, orgId, { SecretOfA: [2, 0, 0] });

    expect(countsOf(await readPerformance(admin.client, orgId), ['SecretOfA'])).toEqual({ SecretOfA: [2, 0, 0] });
    for (const [client, target] of [
      [member.client, orgId],
      [other.owner.client, orgId],
      [owner.client, null],
    ] as const) {
      // Both fields are refused; the first refusal ends the (non-null) answer.
      const refused = await client.request(performanceQuery, { orgId: target, ...period() });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data).toBeNull();
    }
    const anonymous = await fixture.graph.client.request(performanceQuery, { orgId, ...period() });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);

    // Another organization's figures hold none of this one's operations.
    const theirs = await settledCounts(other.owner.client, other.orgId, { OwnOfB: [1, 0, 0] });
    expect(theirs.operationPerformance.map((figures) => figures.operation)).not.toContain('SecretOfA');

    const operator = await signUpUser(fixture.graph.client);
    await fixture.db.query('UPDATE identity.users SET is_system_admin = true WHERE id = $1', [operator.id]);
    expect(countsOf(await readPerformance(operator.client, orgId), ['SecretOfA', 'OwnOfB'])).toEqual({ SecretOfA: [2, 0, 0] });
    // The platform: every organization's operations, and anonymous callers' too.
    await timed(fixture.graph.client, `query PublicCatalogue { metricCatalogue { name } }`, {}, 3);
    const platform = await settledCounts(operator.client, null, { SecretOfA: [2, 0, 0], OwnOfB: [1, 0, 0], PublicCatalogue: [3, 0, 0] });
    expect(platform.serviceLevel.requests).toBe(platform.operationPerformance.reduce((sum, figures) => sum + figures.count, 0));
  });
});

describe('serviceLevel', () => {
  test('counts server-side failures against availability and the error budget, and the share answered within 200 ms', async () => {
    const { owner, orgId } = await organizationWithOwner();
    const fast = await timed(owner.client, listComponents, { orgId }, 10);
    const refused = await timed(owner.client, badSummary, { orgId }, 2);
    // cms cannot read its templates for a moment: a failure of the graph, not of the caller.
    await fixture.db.query('ALTER TABLE cms.templates RENAME TO templates_gone_for_a_moment');
    let failed: Awaited<ReturnType<typeof timed>>;
    try {
      failed = await timed(owner.client, listTemplates, { orgId }, 3);
    } finally {
      await fixture.db.query('ALTER TABLE cms.templates_gone_for_a_moment RENAME TO templates');
    }
    expect(failed.codes).toEqual([['INTERNAL_SERVER_ERROR'], ['INTERNAL_SERVER_ERROR'], ['INTERNAL_SERVER_ERROR']]);

    const answer = await settledCounts(owner.client, orgId, { ListComponents: [10, 0, 0], BadSummary: [2, 2, 0], ListTemplates: [3, 3, 3] });
    // One request read both: the same rows.
    const level = answer.serviceLevel;
    const requests = answer.operationPerformance.reduce((sum, figures) => sum + figures.count, 0);
    expect(level.requests).toBe(requests);
    expect(level.failures).toBe(3);
    expect(level.availability).toBeCloseTo(1 - 3 / requests, 12);
    // 3 failures in a few dozen requests spend far more than 0.1% of them: the budget is gone.
    expect(level.errorBudgetRemaining).toBe(0);
    // Fast is a whole number of requests, at least those the client itself saw answered within 200 ms.
    const fastCount = level.fastRatio! * requests;
    expect(fastCount).toBeCloseTo(Math.round(fastCount), 9);
    const seenFast = [...fast.durations, ...refused.durations, ...failed.durations].filter((ms) => ms <= 200).length;
    expect(Math.round(fastCount)).toBeGreaterThanOrEqual(seenFast);
    expect(Math.round(fastCount)).toBeLessThanOrEqual(requests);
    expect(level.p95).toBeGreaterThan(0);
  });

  test('refuses a period that ends before it starts, and a first outside 1–100', async () => {
    const { owner, orgId } = await organizationWithOwner();
    const now = Date.now();
    const backwards = await owner.client.request(performanceQuery, {
      orgId,
      from: new Date(now).toISOString(),
      to: new Date(now - hourMs).toISOString(),
    });
    expect(errorCodes(backwards)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await owner.client.request(
      `query ($orgId: ID!, $from: DateTime!, $to: DateTime!) { operationPerformance(orgId: $orgId, from: $from, to: $to, first: 101) { operation } }`,
      { orgId, ...period() },
    );
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
