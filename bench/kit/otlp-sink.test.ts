import { flushTraces, inSpan, serviceTracer } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { startOtlpSink } from './otlp-sink.ts';

describe("the bench's OTLP sink", () => {
  test('counts the spans the services export by when they started, a gateway root span as one traced request', async () => {
    const sink = await startOtlpSink();
    try {
      // The services' own tracers, exporting as the graph's do (one provider, so one export, per service).
      const settings = { endpoint: sink.url, sampleRatio: 1 };
      const gateway = serviceTracer('gateway', settings);
      const identity = serviceTracer('identity', settings);
      const startedAt = Date.now();
      await inSpan(gateway, 'gateway POST /graphql', {}, () =>
        inSpan(gateway, 'fetch identity', {}, () => inSpan(identity, 'identity POST /graphql', {}, async () => undefined)),
      );
      // A root span of a subgraph (background work) is a span, but no request's trace.
      await inSpan(identity, 'job', {}, async () => undefined);
      const endedAt = Date.now();
      await flushTraces();

      expect(sink.startedBetween(startedAt, endedAt)).toEqual({ traces: 1, spans: 4 });
      expect(sink.startedBetween(endedAt + 1, endedAt + 60_000)).toEqual({ traces: 0, spans: 0 });
      const totals = sink.totals();
      expect(totals).toMatchObject({ exports: 2, spans: 4 });
      expect(totals.bytes).toBeGreaterThan(0);
    } finally {
      await sink.close();
    }
  });
});
