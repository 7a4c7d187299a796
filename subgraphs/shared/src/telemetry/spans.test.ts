import { trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { context } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { activeTraceIds, inSpan } from './spans.ts';

describe('activeTraceIds (what each log line carries)', () => {
  test('is the active recorded span’s trace and span id, and nothing outside a span', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const exporter = new InMemorySpanExporter();
    const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
    expect(activeTraceIds()).toEqual({});
    const seen = await inSpan(tracer, 'work', {}, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { ids: activeTraceIds(), span: trace.getActiveSpan()!.spanContext() };
    });
    expect(seen.ids).toEqual({ trace_id: seen.span.traceId, span_id: seen.span.spanId });
    expect(seen.ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['work']);
  });
});
