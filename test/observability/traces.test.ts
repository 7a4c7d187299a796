import { flushTraces } from '@token-nexus/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cmsOrganization, createPage } from '../testkit/cms-seed.ts';
import { startOtlpReceiver, type ReceivedSpan } from '../testkit/otlp-receiver.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
});
// A database of its own: a job enqueued here must run on this graph (the traced one), not
// be relayed by another test file's graph sharing the run's database.
const fixture = useTestGraphOnOwnDatabase(() => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: '1' }));

/** The spans of one trace once the one named `rootName` and its expected parts have arrived. */
async function traceOf(rootName: string, complete: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    await flushTraces();
    const root = receiver.spans.find((span) => span.name === rootName);
    const spans = root ? receiver.spans.filter((span) => span.traceId === root.traceId) : [];
    if (root && complete(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no complete trace for ${rootName}; received: ${receiver.spans.map((span) => span.name).join(', ')}`);
}

describe('traces over OTLP', () => {
  test('a federated query is one trace: the gateway span, a fetch per subgraph, each subgraph’s server, resolver and SQL spans below it', async () => {
    const seed = await cmsOrganization(fixture.graph.client);
    const page = await createPage(seed.owner.client, { orgId: seed.organization.id, title: 'Traced' });
    const answer = await seed.owner.client.data(
      `query TracedPage($id: ID!) { page(id: $id) { title createdBy { displayName } } }`,
      { id: page.id },
    );
    expect(answer.page).toEqual({ title: 'Traced', createdBy: { displayName: 'Olivia Owner' } });

    const byId = (spans: ReceivedSpan[]) => new Map(spans.map((span) => [span.spanId, span]));
    const under = (spans: ReceivedSpan[], span: ReceivedSpan, ancestor: ReceivedSpan) => {
      const index = byId(spans);
      for (let at = span.parentSpanId ? index.get(span.parentSpanId) : undefined; at; at = at.parentSpanId ? index.get(at.parentSpanId) : undefined) {
        if (at.spanId === ancestor.spanId) return true;
      }
      return false;
    };
    const spans = await traceOf('gateway query TracedPage', (all) =>
      ['cms', 'identity'].every((subgraph) =>
        all.some((span) => span.name.startsWith('postgresql') && span.service === `token-nexus-${subgraph}`),
      ),
    );
    const root = spans.find((span) => span.name === 'gateway query TracedPage')!;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.service).toBe('token-nexus-gateway');
    expect(root.attributes['graphql.operation.name']).toBe('TracedPage');

    for (const subgraph of ['cms', 'identity']) {
      const fetch = spans.find((span) => span.name === `fetch ${subgraph}`);
      expect(fetch, `fetch ${subgraph}`).toBeDefined();
      expect(fetch!.parentSpanId).toBe(root.spanId);
      expect(fetch!.service).toBe('token-nexus-gateway');
      // The subgraph continued the trace from the traceparent the fetch sent.
      const server = spans.find((span) => span.parentSpanId === fetch!.spanId);
      expect(server?.service).toBe(`token-nexus-${subgraph}`);
      expect(server?.name).toMatch(new RegExp(`^${subgraph} query `));
      const resolver = spans.find((span) => span.service === server!.service && span.name.startsWith('resolve ') && span.parentSpanId === server!.spanId);
      expect(resolver, `${subgraph} resolver span`).toBeDefined();
      const sql = spans.filter((span) => span.service === server!.service && span.name.startsWith('postgresql '));
      expect(sql.length).toBeGreaterThan(0);
      for (const statement of sql) {
        expect(under(spans, statement, server!)).toBe(true);
        expect(statement.attributes['db.system.name']).toBe('postgresql');
        expect(String(statement.attributes['db.query.text'])).toMatch(/\w/);
      }
    }
    expect(spans.find((span) => span.name === 'resolve Query.page')?.service).toBe('token-nexus-cms');
    expect(spans.find((span) => span.name === 'resolve User.__resolveReference')?.service).toBe('token-nexus-identity');
  });

  test('a background job’s span links to the request that enqueued it, and its SQL shows under it', async () => {
    const seed = await cmsOrganization(fixture.graph.client);
    const answer = await seed.owner.client.data(
      'mutation TracedExport($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: CSV) { id } }',
      { orgId: seed.organization.id },
    );
    expect(answer.exportAuditLogs.id).toBeTruthy();
    const request = await traceOf('gateway mutation TracedExport', (all) => all.some((span) => span.name === 'resolve Mutation.exportAuditLogs'));
    const resolver = request.find((span) => span.name === 'resolve Mutation.exportAuditLogs')!;
    let job: ReceivedSpan | undefined;
    for (let waited = 0; waited < 15_000 && !job; waited += 100) {
      await flushTraces();
      job = receiver.spans.find((span) => span.name === 'job audit.export' && span.links.some((link) => link.traceId === resolver.traceId));
      if (!job) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job, 'job audit.export span linked to the request').toBeDefined();
    expect(job!.service).toBe('token-nexus-audit');
    expect(job!.traceId).not.toBe(resolver.traceId);
    expect(job!.parentSpanId).toBeUndefined();
    // The link points into the resolver's work (the span active when the job was enqueued).
    const linked = job!.links.find((link) => link.traceId === resolver.traceId)!;
    const inRequest = request.find((span) => span.spanId === linked.spanId);
    expect(inRequest?.service).toBe('token-nexus-audit');
    for (let waited = 0; waited < 5_000; waited += 100) {
      await flushTraces();
      if (receiver.spans.some((span) => span.traceId === job!.traceId && span.name.startsWith('postgresql '))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(receiver.spans.filter((span) => span.traceId === job!.traceId && span.name.startsWith('postgresql ')).length).toBeGreaterThan(0);
  });

  test('a client’s traceparent is not followed: the gateway starts a trace of its own', async () => {
    const foreignTrace = '0af7651916cd43dd8448eb211c80319c';
    const response = await fetch(fixture.graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${foreignTrace}-b7ad6b7169203331-01` },
      body: JSON.stringify({ query: 'query ForeignParent { __typename }' }),
    });
    expect(response.status).toBe(200);
    const spans = await traceOf('gateway query ForeignParent', () => true);
    expect(spans[0]!.traceId).not.toBe(foreignTrace);
    expect(spans.find((span) => span.name === 'gateway query ForeignParent')!.parentSpanId).toBeUndefined();
  });
});
