import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, sendJson } from '@token-nexus/shared';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { createRequestListener, type Route } from './router.ts';

/** The gateway's request listener on a real server, logging through a pino logger whose lines are kept. */
async function serve(routes: Route[]) {
  const lines: Record<string, unknown>[] = [];
  // The gateway's logger redacts secrets: the request line must come out the same without it.
  const logger = pino(
    { level: 'info', base: { service: 'gateway' }, redact: { paths: ['*.password'], censor: '[redacted]' } },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const server = createServer(createRequestListener({ routes, logger, corsOrigins: [], production: true }).listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return { url, lines };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

const answering: Route = {
  matches: (path) => path === '/graphql',
  handle: ({ response, log }) => {
    log.operationName = 'Me';
    sendJson(response, 200, { data: {} });
  },
};

const failing: Route = {
  matches: (path) => path === '/broken',
  handle: () => {
    throw new Error('the route broke');
  },
};

describe('the request log', () => {
  test('has one JSON line per request, with its request id and what the route noted', async () => {
    const gateway = await serve([answering]);
    for (const id of ['first-1', 'second-2', 'third-3']) {
      await fetch(gateway.url('/graphql'), { method: 'POST', headers: { 'x-request-id': id } });
    }
    await fetch(gateway.url('/health/live'));
    expect(gateway.lines).toEqual(
      ['first-1', 'second-2', 'third-3'].map((requestId) => ({
        level: 30,
        time: expect.any(Number),
        service: 'gateway',
        requestId,
        method: 'POST',
        path: '/graphql',
        status: 200,
        durationMs: expect.any(Number),
        operationName: 'Me',
        msg: 'request',
      })),
    );
  });

  test('a failing route logs its error with the request id, and the request still has its line', async () => {
    const gateway = await serve([failing]);
    const response = await fetch(gateway.url('/broken'), { headers: { 'x-request-id': 'broken-1' } });
    expect(response.status).toBe(500);
    expect(gateway.lines).toEqual([
      expect.objectContaining({ level: 50, requestId: 'broken-1', msg: 'request failed', err: expect.objectContaining({ message: 'the route broke' }) }),
      expect.objectContaining({ level: 30, requestId: 'broken-1', msg: 'request', status: 500 }),
    ]);
  });
});
