import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** Where traces go and how many: from OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_TRACES_SAMPLER_ARG. */
export interface TracingSettings {
  /** The OTLP/HTTP collector's base URL (spans go to `/v1/traces`); unset: tracing is off. */
  endpoint: string | undefined;
  /** The share of new traces recorded, 0 to 1; a request that arrives traced keeps its caller's decision. */
  sampleRatio: number;
}

const providers = new Map<string, TracerProvider>();
let contextInstalled = false;

/**
 * The tracer of one service of the graph (`gateway`, `cms`…). With an endpoint, each
 * service gets its own provider (so a trace shows which service did what even when the
 * whole graph runs in one process) exporting over OTLP/HTTP in batches, and the process
 * gets an async-local context and the W3C `traceparent` propagator. Without one, the
 * tracer is OpenTelemetry's no-op: spans cost next to nothing and nothing is sent.
 */
export function serviceTracer(service: string, settings: TracingSettings): Tracer {
  if (!settings.endpoint) return trace.getTracer(service);
  if (!contextInstalled) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextInstalled = true;
  }
  const key = `${service}\u0000${settings.endpoint}\u0000${settings.sampleRatio}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': `token-nexus-${service}`, 'service.namespace': 'token-nexus' }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` }),
          scheduledDelayMillis: 1_000,
        }),
      ],
    });
    providers.set(key, provider);
  }
  return provider.getTracer(service);
}

/** Sends the spans still buffered (a stopping service, a test waiting for its trace). */
export async function flushTraces(): Promise<void> {
  await Promise.all([...providers.values()].map((provider) => provider.forceFlush()));
}
