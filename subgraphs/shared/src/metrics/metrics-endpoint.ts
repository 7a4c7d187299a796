import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { closeServer, listen } from '../server/listen.ts';
import { metricsEnabled, processRegistry } from './platform-metrics.ts';

/** Who may read `/metrics` on a service's public port. */
export interface MetricsAccess {
  production: boolean;
  /** METRICS_TOKEN: with it, the public port serves `/metrics` to `Authorization: Bearer <token>` only. */
  token: string | undefined;
}

/**
 * Serves `GET /metrics` on a public port: to anyone outside production; in production
 * only with the bearer METRICS_TOKEN (401 without it), and not at all without a token
 * (404: scrape the METRICS_PORT listener instead, which only the private network reaches).
 */
export async function servePublicMetrics(
  registry: Registry,
  access: MetricsAccess,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!metricsEnabled(registry)) {
    notFound(response);
    return;
  }
  if (access.token) {
    if (!bearerMatches(request.headers.authorization, access.token)) {
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' });
      response.end(JSON.stringify({ error: 'The metrics need the bearer token set in METRICS_TOKEN.' }));
      return;
    }
  } else if (access.production) {
    notFound(response);
    return;
  }
  await writeMetrics(registry, response);
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: 'not found' }));
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function writeMetrics(registry: Registry, response: ServerResponse): Promise<void> {
  // Two registries of distinct metric names: their texts joined are one valid exposition.
  const body = `${await registry.metrics()}\n${await processRegistry().metrics()}`;
  response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * The METRICS_PORT listener: `GET /metrics` and nothing else, without a token (bind it
 * where only the scraper reaches).
 */
export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number },
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    writeMetrics(registry, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  const port = await listen(server, options.port, options.host, 'METRICS_PORT');
  return { port, close: () => closeServer(server) };
}
