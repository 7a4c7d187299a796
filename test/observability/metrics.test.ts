import { describe, expect, test } from 'vitest';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { parsePrometheusText, sampleValue, scrapeMetrics } from '../testkit/prometheus-text.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

// A database of its own: the jobs this file enqueues must run on (and be counted by) this
// graph, not be relayed by another test file's graph sharing the run's database.
const fixture = useTestGraphOnOwnDatabase({ METRICS_PORT: '0' });

describe('/metrics', () => {
  test('times each operation by name, type and outcome, and each subgraph fetch, in one endpoint covering every service', async () => {
    const { graph } = fixture;
    const user = await signUpUser(graph.client);
    await user.client.data('query MetricsMe { me { id displayName } }');
    await user.client.data('query MetricsMe { me { id displayName } }');
    const samples = await scrapeMetrics(graph.gateway.url);

    const gatewayMe = { service: 'gateway', operation_name: 'MetricsMe', operation_type: 'query', outcome: 'success' };
    expect(sampleValue(samples, 'tnx_graphql_request_duration_seconds_count', gatewayMe)).toBe(2);
    // The identity subgraph's own series, in the same registry (one process, one endpoint).
    expect(sampleValue(samples, 'tnx_graphql_request_duration_seconds_count', { service: 'identity', outcome: 'success' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(samples, 'tnx_subgraph_fetch_duration_seconds_count', { subgraph: 'identity', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    // Process metrics, and what the process holds.
    expect(sampleValue(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(samples.some((sample) => sample.name === 'tnx_db_pool_connections' && sample.labels.state === 'idle')).toBe(true);
    // The series of the gateway cache's connection, 1 or 0. Not its value: it is the lowest
    // over every connection of that purpose in the process, and test files share their
    // worker's process, some of them cutting their own graph's Redis on purpose.
    const cacheRedis = samples.filter((sample) => sample.name === 'tnx_redis_up' && sample.labels.connection === 'tnx-gateway-cache');
    expect(cacheRedis).toHaveLength(1);
    expect([0, 1]).toContain(cacheRedis[0]!.value);
  });

  test('counts errors by code, refused operations, and refusals by operation limit', async () => {
    const { graph } = fixture;
    const before = await scrapeMetrics(graph.gateway.url);
    const invalid = await graph.client.request('query MetricsInvalid { noSuchField }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const deep = `query MetricsDeep { organization(id: "00000000-0000-0000-0000-000000000000") { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }`;
    const refused = await graph.client.request(deep);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unauthenticated = await graph.client.request(
      'mutation MetricsAnonymous { updateOrganization(id: "00000000-0000-0000-0000-000000000000", input: { name: "x" }) { id } }',
    );
    const after = await scrapeMetrics(graph.gateway.url);

    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('tnx_graphql_errors_total', { service: 'gateway', code: 'BAD_USER_INPUT' })).toBe(2);
    expect(delta('tnx_operation_limit_refusals_total', { limit: 'MAX_QUERY_DEPTH' })).toBe(1);
    expect(delta('tnx_graphql_request_duration_seconds_count', { service: 'gateway', operation_name: 'MetricsInvalid', outcome: 'refused' })).toBe(1);
    expect(delta('tnx_graphql_request_duration_seconds_count', { service: 'gateway', operation_name: 'MetricsDeep', outcome: 'refused' })).toBe(1);
    const code = String(unauthenticated.errors?.[0]?.extensions?.code);
    expect(code).toMatch(/^[A-Z_]+$/);
    expect(delta('tnx_graphql_errors_total', { service: 'gateway', code })).toBe(1);
    expect(delta('tnx_graphql_request_duration_seconds_count', { service: 'gateway', operation_name: 'MetricsAnonymous', operation_type: 'mutation', outcome: 'error' })).toBe(1);
  });

  test('a client inventing operation names cannot grow the series past the cap: the rest fold into other', async () => {
    const { graph } = fixture;
    for (let index = 0; index < 230; index++) {
      await graph.client.request(`query Invented${index} { __typename }`);
    }
    await graph.client.request('{ __typename }');
    const samples = await scrapeMetrics(graph.gateway.url);
    const names = new Set(
      samples
        .filter((sample) => sample.name === 'tnx_graphql_request_duration_seconds_count' && sample.labels.service === 'gateway')
        .map((sample) => sample.labels.operation_name),
    );
    expect(names.size).toBeLessThanOrEqual(202);
    expect(names.has('other')).toBe(true);
    expect(names.has('anonymous')).toBe(true);
    expect(sampleValue(samples, 'tnx_graphql_request_duration_seconds_count', { service: 'gateway', operation_name: 'other' })).toBeGreaterThanOrEqual(30);
  });

  test('counts rate-limit refusals by field, and background jobs by queue', async () => {
    const { graph } = fixture;
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner, { name: 'Metrics Co' });
    const exportLogs = `mutation ($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: CSV) { id } }`;
    const codes: unknown[] = [];
    for (let index = 0; index < 11; index++) {
      const answer = await owner.client.request(exportLogs, { orgId: organization.id });
      codes.push(answer.errors?.[0]?.extensions?.code ?? 'ok');
    }
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(1);
    let samples = await scrapeMetrics(graph.gateway.url);
    expect(sampleValue(samples, 'tnx_rate_limit_refusals_total', { service: 'audit', field: 'Mutation.exportAuditLogs' })).toBe(1);
    // The ten accepted exports each run as a job; the first to finish is timed under its queue.
    for (let waited = 0; waited < 40_000; waited += 200) {
      samples = await scrapeMetrics(graph.gateway.url);
      if (sampleValue(samples, 'tnx_job_duration_seconds_count', { queue: 'audit.export', outcome: 'success' }) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const finished = sampleValue(samples, 'tnx_job_duration_seconds_count', { queue: 'audit.export', outcome: 'success' });
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThanOrEqual(10);
    expect(samples.some((sample) => sample.name === 'tnx_job_queue_depth' && sample.labels.queue === 'audit.export')).toBe(true);
  }, 60_000);

  test('shows open WebSocket connections and subscriptions, and the events delivered', async () => {
    const { graph } = fixture;
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner, { name: 'Live Metrics Co' });
    const socket = webSocketClient(graph.gateway.url, { token: owner.accessToken });
    const subscription = await subscribeOverWebSocket(
      socket,
      'subscription ($orgId: ID!) { auditEntryAdded(orgId: $orgId) { action } }',
      { orgId: organization.id },
    );
    let samples = await scrapeMetrics(graph.gateway.url);
    expect(sampleValue(samples, 'tnx_active_subscriptions', { transport: 'websocket' })).toBe(1);
    expect(sampleValue(samples, 'tnx_websocket_connections')).toBe(1);
    const delivered = sampleValue(samples, 'tnx_subscription_events_delivered_total');
    await owner.client.data('mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Renamed" }) { id } }', { id: organization.id });
    await subscription.next(10_000);
    samples = await scrapeMetrics(graph.gateway.url);
    expect(sampleValue(samples, 'tnx_subscription_events_delivered_total')).toBe(delivered + 1);
    subscription.unsubscribe();
    await socket.dispose();
    for (let waited = 0; waited < 5_000 && sampleValue(samples, 'tnx_websocket_connections') > 0; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      samples = await scrapeMetrics(graph.gateway.url);
    }
    expect(sampleValue(samples, 'tnx_active_subscriptions', { transport: 'websocket' })).toBe(0);
    expect(sampleValue(samples, 'tnx_websocket_connections')).toBe(0);
  });

  test('METRICS_PORT serves the same registry, and only /metrics', async () => {
    const { graph } = fixture;
    const port = graph.gateway.metricsPort;
    expect(port).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    const samples = parsePrometheusText(await response.text());
    expect(samples.some((sample) => sample.name === 'tnx_graphql_request_duration_seconds_count')).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
  });
});
