import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { servePublicMetrics, startMetricsServer, type MetricsAccess } from './metrics-endpoint.ts';
import { createMetricsRegistry } from './platform-metrics.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function publicPort(access: MetricsAccess): Promise<string> {
  const registry = createMetricsRegistry();
  const server = createServer((request, response) => void servePublicMetrics(registry, access, request, response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('who may read /metrics', () => {
  test('outside production, anyone on the public port', async () => {
    const response = await fetch(await publicPort({ production: false, token: undefined }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('# TYPE tnx_graphql_request_duration_seconds histogram');
  });

  test('in production without METRICS_TOKEN, nobody on the public port', async () => {
    const response = await fetch(await publicPort({ production: true, token: undefined }));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('tnx_');
  });

  test('with METRICS_TOKEN, only the bearer of that token', async () => {
    const url = await publicPort({ production: true, token: 'a-metrics-token-of-some-length' });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-of-some-lengtX' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer short' } })).status).toBe(401);
    const allowed = await fetch(url, { headers: { authorization: 'Bearer a-metrics-token-of-some-length' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('process_cpu_seconds_total');
  });

  test('the METRICS_PORT listener serves /metrics without a token, and nothing else', async () => {
    const listener = await startMetricsServer(createMetricsRegistry(), { host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`http://127.0.0.1:${listener.port}/metrics`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${listener.port}/graphql`)).status).toBe(404);
    } finally {
      await listener.close();
    }
  });
});
