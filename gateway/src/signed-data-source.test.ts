import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { trace } from '@opentelemetry/api';
import { claimsHeader, createMetricsRegistry, platformMetrics, signatureHeader, verifyRequest } from '@token-nexus/shared';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, test } from 'vitest';
import type { GatewayContext } from './context.ts';
import { SignedDataSource, createSubgraphAgent } from './signed-data-source.ts';

/**
 * The data source against a real HTTP server standing in for a subgraph, which answers
 * each request with `answer` (after reading its body).
 */
const secret = 'signing-secret-of-at-least-32-characters';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function subgraph(answer: (received: Received, response: ServerResponse) => void) {
  const received: Received[] = [];
  let connections = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      answer({ headers: request.headers, body }, response);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = createSubgraphAgent();
  const source = new SignedDataSource({
    name: 'identity',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    signingSecret: secret,
    agent,
    timeoutMs: 200,
    cache: null,
    metrics: platformMetrics(createMetricsRegistry()),
    tracer: trace.getTracer('test'),
  });
  cleanups.push(async () => {
    await agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  // A request of the gateway's own (its kind's enum is not exported at run time).
  const fetch = (query = '{ me { id } }') =>
    source.process({ kind: 'health check', request: { query }, context: {} } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
  /** A fetch of a client's operation: its claims, its rate limit and its cache policy. */
  const fetchForClient = async () => {
    const hints: unknown[] = [];
    const context = {
      requestId: 'client-1',
      claims: { v: 1, actor: { type: 'anonymous' }, requestId: 'client-1', clientIp: null, userAgent: null },
      rateLimit: { report: null },
      cacheStatus: [],
      log: {},
    } as unknown as GatewayContext;
    const answer = await source.process({
      kind: 'incoming operation',
      request: { query: '{ me { id } }' },
      context,
      incomingRequestContext: { overallCachePolicy: { restrict: (hint: unknown) => void hints.push(hint) } },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
    return { answer, hints, context };
  };
  return { fetch, fetchForClient, received, connections: () => connections };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (_received: Received, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected the fetch to fail'),
    (error: unknown) => error as Error,
  );
}

describe('a signed data source', () => {
  test('signs each request over its exact body, and answers with the data and the headers', async () => {
    const server = await subgraph(json(200, { data: { me: { id: 'u1' } } }, { 'cache-control': 'max-age=30, private' }));
    const answer = await server.fetch('{ me { id } }');
    expect(answer.data).toEqual({ me: { id: 'u1' } });
    expect(answer.http?.headers.get('Cache-Control')).toBe('max-age=30, private');
    const [request] = server.received;
    const header = (name: string) => request!.headers[name] as string | undefined;
    expect(verifyRequest(secret, { claims: header(claimsHeader), signature: header(signatureHeader) }, request!.body)).toMatchObject({ ok: true });
    expect(JSON.parse(request!.body)).toEqual({ query: '{ me { id } }' });
  });

  test("takes the subgraph's Cache-Control into the operation's cache policy, and its rate limit into the request's", async () => {
    const rateLimit = { limit: 10, remaining: 3, window: '1m' };
    const server = await subgraph(json(200, { data: { me: null }, extensions: { rateLimit } }, { 'cache-control': 'max-age=60, public' }));
    const { hints, context } = await server.fetchForClient();
    expect(hints).toEqual([{ maxAge: 60, scope: 'PUBLIC' }]);
    expect(context.rateLimit.report).toEqual(rateLimit);
    expect(context.cacheStatus).toEqual(['tnx-gateway; fwd=bypass; detail=identity']);
  });

  test('an answer without Cache-Control may not be cached at all', async () => {
    const server = await subgraph(json(200, { data: { me: null } }));
    expect((await server.fetchForClient()).hints).toEqual([{ maxAge: 0 }]);
  });

  test('reuses its keep-alive connections from one fetch to the next', async () => {
    const server = await subgraph(json(200, { data: { me: null } }));
    for (let fetch = 0; fetch < 10; fetch++) await server.fetch();
    // undici may open a second one while the first is still being released.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  test('gives up on a subgraph that does not answer in time, with a TimeoutError', async () => {
    const server = await subgraph(() => {});
    const startedAt = Date.now();
    expect((await failure(server.fetch())).name).toBe('TimeoutError');
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  test('gives up on an answer whose body stops coming, with a TimeoutError', async () => {
    const server = await subgraph((_received, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":');
    });
    expect((await failure(server.fetch())).name).toBe('TimeoutError');
  });

  test.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [502, undefined],
  ])('turns a %i answer into a GraphQLError with code %s, carrying the answer', async (status, code) => {
    const server = await subgraph(json(status, { errors: [{ message: 'no' }] }));
    const error = await failure(server.fetch());
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toMatch(new RegExp(`^${status}: `));
    expect((error as GraphQLError).extensions.code).toBe(code);
    expect((error as GraphQLError).extensions.response).toMatchObject({ status, body: { errors: [{ message: 'no' }] } });
  });

  test("passes a subgraph's BAD_USER_INPUT refusal of a variable on to the client as it is", async () => {
    const server = await subgraph(json(400, { errors: [{ message: 'BigInt cannot represent "1.5"', extensions: { code: 'BAD_USER_INPUT' } }] }));
    const error = await failure(server.fetch());
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('BigInt cannot represent "1.5"');
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });

  test('refuses an answer that is not a JSON object', async () => {
    const server = await subgraph((_received, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('hello');
    });
    expect((await failure(server.fetch())).message).toBe('Expected JSON response body, but received: hello');
  });
});
