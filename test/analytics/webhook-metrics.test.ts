import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';
import { hourMs, hourStart, metricsOf, settled } from './analytics-kit.ts';

/**
 * webhooks.deliveries (by outcome) and webhooks.latency (a histogram), from test
 * deliveries (testWebhook: one signed attempt, sent at once and recorded with its status
 * and latency) to real receivers: one that answers by path, one that answers slowly, and a
 * port nobody listens on.
 */
const slowMs = 350;
let receiver: WebhookReceiver;
let slow: WebhookReceiver;
let closedPort: number;
let graph: TestGraph;
beforeAll(async () => {
  receiver = await startWebhookReceiver((request, response) => {
    const status = { '/ok': 204, '/created': 201, '/fail': 500, '/missing': 404, '/moved': 302 }[request.path] ?? 204;
    response.writeHead(status, status === 302 ? { location: '/ok' } : {}).end();
  });
  slow = await startWebhookReceiver((_request, response) => void setTimeout(() => response.writeHead(200).end('ok'), slowMs));
  const closed = await startWebhookReceiver();
  closedPort = closed.port;
  await closed.close();
  graph = await startTestGraph({
    ANALYTICS_INGEST_INTERVAL_MS: '100',
    WEBHOOK_ALLOW_LIST: [receiver.port, slow.port, closedPort].map((port) => `127.0.0.1:${port}`).join(','),
    WEBHOOK_TIMEOUT_MS: '3000',
  });
});
afterAll(async () => {
  await graph?.close();
  await receiver?.close();
  await slow?.close();
});

const testWebhook = `mutation ($id: ID!) { testWebhook(endpointId: $id) { status attempts { statusCode latencyMs } } }`;

async function endpoint(owner: SignedUpUser, orgId: string, url: string): Promise<string> {
  const data = await owner.client.data(
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
    // An event this file never causes: the only deliveries are the test ones.
    { input: { orgId, url, eventTypes: ['token.deployed'] } },
  );
  return data.createWebhookEndpoint.endpoint.id;
}

/** Sends `times` test deliveries to the endpoint; returns each attempt's status code and latency as recorded. */
async function deliver(owner: SignedUpUser, endpointId: string, times: number): Promise<{ statusCode: number | null; latencyMs: number }[]> {
  const attempts = [];
  for (let index = 0; index < times; index++) {
    attempts.push(...(await owner.client.data(testWebhook, { id: endpointId })).testWebhook.attempts);
  }
  return attempts;
}

async function organization() {
  const owner = await signUpUser(graph.client);
  const created = await createOrganization(owner);
  return { owner, orgId: created.id, metrics: metricsOf(owner.client, created.id) };
}

/**
 * The bounds (ms, inclusive) of the buckets webhook latencies are counted in, as fixed for
 * good in subgraphs/shared/src/histograms/latency-histogram.ts:
 * a percentile read from the histogram lies inside the bucket holding it.
 */
const bounds = [1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_500, 5_000, 10_000, 30_000, 60_000];
function bucketOf(ms: number): { lower: number; upper: number } {
  const index = bounds.findIndex((bound) => ms <= bound);
  return index === -1 ? { lower: 60_000, upper: 60_000 } : { lower: index === 0 ? 0 : bounds[index - 1]!, upper: bounds[index]! };
}

describe('webhooks.deliveries', () => {
  test('each attempt counts by outcome: delivered for a 2xx, rejected for any other status (a redirect too), unreachable without an answer', async () => {
    const { owner, orgId, metrics } = await organization();
    const attempts = [
      ...(await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/ok`), 2)),
      ...(await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/created`), 1)),
      ...(await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/fail`), 2)),
      ...(await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/missing`), 1)),
      ...(await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/moved`), 1)),
      ...(await deliver(owner, await endpoint(owner, orgId, `http://127.0.0.1:${closedPort}/nobody`), 2)),
    ];
    expect(attempts.map((attempt) => attempt.statusCode)).toEqual([204, 204, 201, 500, 500, 404, 302, null, null]);

    const expected = { delivered: 3, rejected: 4, unreachable: 2 };
    expect(await settled(() => metrics.breakdown('webhooks.deliveries', 'outcome'), expected)).toEqual(expected);
    expect(await metrics.summary('webhooks.deliveries')).toMatchObject({ value: 9, previousValue: 0, metric: { unit: 'attempts', aggregation: 'COUNT' } });
    // Every attempt has a latency, by the same outcomes.
    expect(await metrics.breakdown('webhooks.latency', 'outcome')).toEqual(expected);
  });

  test('an hourly series of deliveries by outcome has a series per outcome whose totals add up to the summary', async () => {
    const { owner, orgId, metrics } = await organization();
    await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/ok`), 3);
    await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/fail`), 1);
    expect(await settled(() => metrics.value('webhooks.deliveries'), 4)).toBe(4);
    const now = new Date();
    const from = new Date(hourStart(now).getTime() - 3 * hourMs);
    const to = new Date(hourStart(now).getTime() + hourMs);
    const series = await metrics.series({ name: 'webhooks.deliveries', from, to, interval: 'HOUR', dimension: 'outcome' });
    expect(series.map((item) => [item.key, item.points.map((point) => point.v), item.total])).toEqual([
      ['delivered', [0, 0, 0, 3], 3],
      ['rejected', [0, 0, 0, 1], 1],
    ]);
  });
});

describe('webhooks.latency', () => {
  test('a histogram: the summary counts the attempts and gives p50 ≤ p95 ≤ p99 in the buckets of the measured latencies; the mean is exact', async () => {
    const { owner, orgId, metrics } = await organization();
    const fast = await deliver(owner, await endpoint(owner, orgId, `${receiver.url}/ok`), 8);
    const slowOnes = await deliver(owner, await endpoint(owner, orgId, `${slow.url}/slow`), 2);
    expect(slowOnes.every((attempt) => attempt.latencyMs >= slowMs)).toBe(true);
    const latencies = [...fast, ...slowOnes].map((attempt) => attempt.latencyMs);
    expect(await settled(() => metrics.value('webhooks.latency'), 10)).toBe(10);

    const summary = await metrics.summary('webhooks.latency');
    expect(summary.metric).toMatchObject({ unit: 'ms', aggregation: 'HISTOGRAM' });
    expect([summary.p50, summary.p95, summary.p99].every((value) => typeof value === 'number')).toBe(true);
    const { p50, p95, p99 } = summary as { p50: number; p95: number; p99: number };
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    // The median is one of the 8 fast attempts; the 95th and 99th percentiles, the 2 slow ones.
    const fastest = Math.max(...fast.map((attempt) => attempt.latencyMs));
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p50).toBeLessThanOrEqual(bucketOf(fastest).upper);
    const slowBuckets = slowOnes.map((attempt) => bucketOf(attempt.latencyMs));
    for (const value of [p95, p99]) {
      expect(value).toBeGreaterThanOrEqual(Math.min(...slowBuckets.map((bucket) => bucket.lower)));
      expect(value).toBeLessThanOrEqual(Math.max(...slowBuckets.map((bucket) => bucket.upper)));
    }

    const now = new Date();
    const from = new Date(hourStart(now).getTime() - hourMs);
    const to = new Date(hourStart(now).getTime() + hourMs);
    const [byDefault] = await metrics.series({ name: 'webhooks.latency', from, to, interval: 'HOUR' });
    // A histogram's series shows its p95 unless told otherwise; over the same events, the same p95.
    expect(byDefault).toMatchObject({ statistic: 'P95', unit: 'ms', total: p95 });
    expect(byDefault!.points.map((point) => point.v)).toEqual([0, p95]);
    const [mean] = await metrics.series({ name: 'webhooks.latency', from, to, interval: 'HOUR', statistic: 'MEAN' });
    expect(mean!.total).toBeCloseTo(latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length, 6);
    const [count] = await metrics.series({ name: 'webhooks.latency', from, to, interval: 'HOUR', statistic: 'VALUE' });
    expect(count!.points.map((point) => point.v)).toEqual([0, 10]);
    const [p99Series] = await metrics.series({ name: 'webhooks.latency', from, to, interval: 'HOUR', statistic: 'P99' });
    expect(p99Series!.total).toBe(p99);
    const [p50Series] = await metrics.series({ name: 'webhooks.latency', from, to, interval: 'HOUR', statistic: 'P50' });
    expect(p50Series!.total).toBe(p50);
  });

  test('without attempts a histogram metric has no percentiles: p50, p95 and p99 are null, the count 0', async () => {
    const { metrics } = await organization();
    expect(await metrics.summary('webhooks.latency')).toMatchObject({ value: 0, p50: null, p95: null, p99: null, breakdown: [] });
    // Percentiles belong to histogram metrics only.
    expect(await metrics.summary('webhooks.deliveries')).toMatchObject({ p50: null, p95: null, p99: null });
  });
});
