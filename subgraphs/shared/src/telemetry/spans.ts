import { SpanStatusCode, context, createContextKey, propagation, trace, type Attributes, type Context, type Link, type Span, type SpanKind, type Tracer } from '@opentelemetry/api';

/**
 * Runs `work` in a new active span of `tracer` and ends the span when it settles; a
 * thrown error marks the span as failed (with the exception recorded) and is rethrown.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context; links?: Link[] },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const spanOptions = {
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    ...(options.attributes ? { attributes: options.attributes } : {}),
    ...(options.links ? { links: options.links } : {}),
  };
  return tracer.startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The context a request's `traceparent` (and `tracestate`) header carries, or the active one. */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => {
      const value = carrier[key];
      return Array.isArray(value) ? value[0] : value;
    },
    keys: (carrier) => Object.keys(carrier),
  });
}

/** The `traceparent` (and `tracestate`) headers of the active span, for an outgoing request or a job. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(from, headers);
  return headers;
}

/** The active span's trace and span ids, for log lines; none outside a recorded span. */
export function activeTraceIds(): { trace_id: string; span_id: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  // Unsampled spans are never exported: an id in the log would lead nowhere.
  if ((traceFlags & 1) === 0) return {};
  return { trace_id: traceId, span_id: spanId };
}

const serviceTracerKey = createContextKey('token-nexus service tracer');

/**
 * `parent` marked as work of the service whose tracer is given: spans that shared code
 * opens below it (SQL, Redis) use that service's tracer, so they show under the service
 * that ran them even when the whole graph shares one process and one database client.
 */
export function serviceContext(parent: Context, tracer: Tracer): Context {
  return parent.setValue(serviceTracerKey, tracer);
}

/** The tracer of the service whose work is running, when inside a recorded span of one. */
export function activeServiceTracer(): Tracer | undefined {
  const active = context.active();
  const span = trace.getSpan(active);
  if (!span?.isRecording()) return undefined;
  return active.getValue(serviceTracerKey) as Tracer | undefined;
}
