import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON export carries it, with its service's name. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  /** The spans this one links to (a job's link to the request that enqueued it). */
  links: { traceId: string; spanId: string }[];
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue]),
  );
}

/**
 * A collector for the test: accepts OTLP/HTTP JSON exports on `/v1/traces` (what
 * @opentelemetry/exporter-trace-otlp-http sends) and keeps every span it receives.
 */
export async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces' || !(request.headers['content-type'] ?? '').includes('json')) {
        response.writeHead(415).end();
        return;
      }
      const exported = JSON.parse(body) as {
        resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
      };
      for (const resourceSpans of exported.resourceSpans) {
        const service = String(attributesOf(resourceSpans.resource.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            spans.push({
              service,
              traceId: String(span.traceId),
              spanId: String(span.spanId),
              parentSpanId: span.parentSpanId ? String(span.parentSpanId) : undefined,
              name: String(span.name),
              kind: Number(span.kind),
              attributes: attributesOf(span.attributes as OtlpAttribute[]),
              links: ((span.links ?? []) as { traceId: string; spanId: string }[]).map(({ traceId, spanId }) => ({ traceId, spanId })),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
