import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** The resource name of the gateway's spans: its root span is one request's trace. */
const gatewayService = 'token-nexus-gateway';

/** Everything the sink was sent, by whatever sent it. */
export interface SinkTotals {
  /** POSTs to /v1/traces (each service exports its batches on its own). */
  exports: number;
  /** Their bodies, as sent (compressed if they were). */
  bytes: number;
  spans: number;
}

/** The spans that started within a time window. */
export interface SpanTally {
  /** Root spans of the gateway: one per request whose trace was sampled. */
  traces: number;
  /** Spans of every service, roots and children. */
  spans: number;
}

/** An OTLP/HTTP collector for the run's graphs: it counts what they export, and keeps nothing else. */
export interface OtlpSink {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT (the exporters add `/v1/traces`). */
  url: string;
  totals(): SinkTotals;
  /**
   * Spans (already received) that started from `fromMs` to `toMs`, epoch milliseconds, both
   * included. The SDK stamps a span's start with `Date.now()`: a window read with it in
   * this process holds exactly the spans started within it.
   */
  startedBetween(fromMs: number, toMs: number): SpanTally;
  close(): Promise<void>;
}

/** The part of an OTLP/HTTP JSON export the sink reads. */
interface TraceExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { parentSpanId?: string; startTimeUnixNano?: string | number }[] }[];
  }[];
}

/**
 * Starts a sink on a free port of 127.0.0.1: it answers every export of `POST /v1/traces`
 * with 200 `{}`, as a collector that took it all would, and counts it. Only JSON exports
 * (what @opentelemetry/exporter-trace-otlp-http sends) are read; anything else is
 * refused with 415, so that a graph exporting protobuf shows as no spans, not as a
 * mystery. Spans are kept as their start times only: a run exports tens of thousands.
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  const totals: SinkTotals = { exports: 0, bytes: 0, spans: 0 };
  const spanStarts: number[] = [];
  const traceStarts: number[] = [];
  const server = createServer((request, response) => {
    receive(request, response, (body) => {
      totals.exports++;
      totals.bytes += body.raw;
      for (const span of spansOf(body.parsed)) {
        totals.spans++;
        spanStarts.push(span.startMs);
        if (span.traceRoot) traceStarts.push(span.startMs);
      }
    }).catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const between = (starts: number[], fromMs: number, toMs: number) => starts.filter((ms) => ms >= fromMs && ms <= toMs).length;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    totals: () => ({ ...totals }),
    startedBetween: (fromMs, toMs) => ({ traces: between(traceStarts, fromMs, toMs), spans: between(spanStarts, fromMs, toMs) }),
    close: () => {
      // The graphs' exporters keep their connections alive: close them too.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads one export and answers it; calls `count` with an export it could read. */
async function receive(
  request: IncomingMessage,
  response: ServerResponse,
  count: (body: { raw: number; parsed: TraceExport }) => void,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (request.method !== 'POST' || request.url !== '/v1/traces') {
    response.writeHead(404).end();
    return;
  }
  if (!(request.headers['content-type'] ?? '').includes('json')) {
    response.writeHead(415).end();
    return;
  }
  const text = request.headers['content-encoding'] === 'gzip' ? await promisify(gunzip)(raw) : raw;
  count({ raw: raw.length, parsed: JSON.parse(text.toString('utf8')) as TraceExport });
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
}

/** Each span of an export: when it started, and whether it is a gateway root (a sampled request). */
function* spansOf(exported: TraceExport): Generator<{ startMs: number; traceRoot: boolean }> {
  for (const resourceSpans of exported.resourceSpans ?? []) {
    const service = resourceSpans.resource?.attributes?.find(({ key }) => key === 'service.name')?.value.stringValue;
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        yield { startMs: epochMs(span.startTimeUnixNano), traceRoot: service === gatewayService && !span.parentSpanId };
      }
    }
  }
}

/**
 * Whole milliseconds from OTLP's nanoseconds since the epoch (a string: JSON has no 64-bit
 * integers). Divided as an integer: a double holds 19 digits only to some 256 ns, so
 * dividing one could put a span stamped at exactly `fromMs` a hair before it.
 */
function epochMs(nanos: string | number | undefined): number {
  return nanos === undefined ? Number.NaN : Number(BigInt(nanos) / 1_000_000n);
}
