import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyVault, createLogger } from '@token-nexus/shared';
import { afterEach, describe, expect, test } from 'vitest';
import { StepFailedError, type StepDependencies, type StepExecution } from '../../engine/step-execution.ts';
import type { StoredStep } from '../../models.ts';
import { sealSecretHeaders } from '../../providers/step-secrets.ts';
import { runHttpRequest } from './http-request.ts';

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Every TCP connection made to it, requests or not. */
  connections: number;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      // A receiver that never answers holds its connection open; closing must not wait for it.
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
});

/** A real HTTP server on a free port of 127.0.0.1, standing in for the step's destination; 204 by default. */
async function receiver(handler: Handler = (_, response) => response.writeHead(204).end()): Promise<Receiver> {
  const received: Receiver = { url: '', requests: [], connections: 0 };
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.requests.push(request);
      handler(request, response);
    });
  });
  server.on('connection', () => received.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  received.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return received;
}

const keys = new KeyVault('a master key for the tests of the httpRequest step only');

const deps: StepDependencies = {
  logger: createLogger('workflows-test', 'silent'),
  keys,
  httpAllowList: ['127.0.0.1'],
  graphql: () => Promise.reject(new Error('an httpRequest step runs no GraphQL')),
};

const workflowId = '0b9f3c59-5b1e-4f6c-9d3e-2f1a0c7d8e91';

/** The step as the engine hands it over: sealed the way saving a workflow seals it. */
function httpStep(input: Record<string, unknown>, key = 'call'): StoredStep {
  const [sealed] = sealSecretHeaders(keys, workflowId, [{ key, type: 'httpRequest', input, next: null, branches: null }]);
  return sealed!;
}

function execution(step: StoredStep, changes: Partial<StepExecution> = {}): StepExecution {
  return {
    run: { id: 'a7d4c1e2-3f5b-4a69-8c0d-1e2f3a4b5c6d', organizationId: 'org-1', workflowId, version: 1, causation: ['a7d4c1e2-3f5b-4a69-8c0d-1e2f3a4b5c6d'] },
    step,
    attempt: 1,
    stepStartedAt: new Date(),
    scope: { trigger: { order: { id: 'ord_42', amount: 1250 } }, vars: { region: 'EU' }, steps: {} },
    signal: new AbortController().signal,
    ...changes,
  };
}

/** The StepFailedError a run of the step throws (fails the test when it does not throw one). */
async function failureOf(run: Promise<unknown>): Promise<StepFailedError> {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StepFailedError);
  return error as StepFailedError;
}

describe('the httpRequest step', () => {
  test('sends the rendered request with its JSON body and answers with the parsed JSON response', async () => {
    const target = await receiver((_, response) => {
      response.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' }).end('{"accepted":true,"items":[1,2]}');
    });
    const step = httpStep({
      method: 'POST',
      url: `${target.url}/orders/{{ trigger.order.id }}?region={{vars.region}}`,
      headers: [{ name: 'X-Order', value: 'order {{trigger.order.id}}', secret: false }],
      body: { id: '{{trigger.order.id}}', amount: '{{ trigger.order.amount }}', note: 'for {{vars.region}}' },
    });

    const outcome = await runHttpRequest(execution(step), deps);

    const [received] = target.requests as [ReceivedRequest];
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/orders/ord_42?region=EU');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['x-order']).toBe('order ord_42');
    expect(received.headers['user-agent']).toBe('TokenNexus-Workflows/1');
    expect(JSON.parse(received.body)).toEqual({ id: 'ord_42', amount: 1250, note: 'for EU' });
    expect(outcome).toEqual({
      kind: 'done',
      output: { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { accepted: true, items: [1, 2] }, truncated: false },
    });
  });

  test('sends the same Idempotency-Key on every attempt of a step, and another one for another run or step', async () => {
    const target = await receiver();
    const step = httpStep({ method: 'POST', url: target.url, body: 'hello' });
    const first = execution(step);

    await runHttpRequest(first, deps);
    await runHttpRequest({ ...first, attempt: 2 }, deps);
    await runHttpRequest({ ...first, attempt: 3 }, deps);
    await runHttpRequest({ ...first, run: { ...first.run, id: 'c3e0a9b8-7d6f-4e5a-9b8c-7d6e5f4a3b2c' } }, deps);
    await runHttpRequest(execution(httpStep({ method: 'POST', url: target.url, body: 'hello' }, 'other')), deps);

    const keysSent = target.requests.map((request) => request.headers['idempotency-key']);
    expect(keysSent[0]).toMatch(/^wf-[0-9a-f]{32}$/);
    expect(keysSent.slice(0, 3)).toEqual([keysSent[0], keysSent[0], keysSent[0]]);
    expect(new Set(keysSent).size).toBe(3);
  });

  test('decrypts a secret header and sends it as stored, with no template rendered in it', async () => {
    const target = await receiver();
    const step = httpStep({
      method: 'GET',
      url: target.url,
      headers: [{ name: 'Authorization', value: 'Bearer s3cret-{{vars.region}}', secret: true }],
    });
    expect(JSON.stringify(step)).not.toContain('s3cret');

    await runHttpRequest(execution(step), deps);

    expect(target.requests[0]!.headers.authorization).toBe('Bearer s3cret-{{vars.region}}');
  });

  test('a secret header sealed for another workflow fails the run instead of being sent', async () => {
    const target = await receiver();
    const step = httpStep({ method: 'GET', url: target.url, headers: [{ name: 'Authorization', value: 'Bearer s3cret', secret: true }] });
    const moved = execution(step);

    const failure = await failureOf(runHttpRequest({ ...moved, run: { ...moved.run, workflowId: 'another-workflow' } }, deps));

    expect(failure.options).toEqual({ retryable: false, code: 'SECRET_UNREADABLE' });
    expect(target.connections).toBe(0);
  });

  test('a text response is the output as text; one over 64 KB is cut there and says so', async () => {
    const large = 'é'.repeat(40_000); // 80,000 bytes in UTF-8
    const target = await receiver((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(request.path === '/large' ? large : 'ok');
    });

    const small = await runHttpRequest(execution(httpStep({ method: 'GET', url: `${target.url}/small` })), deps);
    const cut = await runHttpRequest(execution(httpStep({ method: 'GET', url: `${target.url}/large` })), deps);

    expect(small).toEqual({ kind: 'done', output: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok', truncated: false } });
    expect(cut).toMatchObject({ kind: 'done', output: { status: 200, body: 'é'.repeat(32_768), truncated: true } });
  });

  test('a 500, a 503, a 429 and a 408 fail the attempt to be retried', async () => {
    for (const status of [500, 503, 429, 408]) {
      const target = await receiver((_, response) => response.writeHead(status).end('try later'));
      const failure = await failureOf(runHttpRequest(execution(httpStep({ method: 'POST', url: target.url, body: 'x' })), deps));
      expect(failure.options, String(status)).toEqual({ retryable: true, code: `HTTP_${status}` });
      expect(failure.message).toBe(`Step call: HTTP ${status}: try later`);
    }
  });

  test('a 404 or a 400 fails the run without a retry', async () => {
    for (const status of [404, 400]) {
      const target = await receiver((_, response) => response.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"no such order"}'));
      const failure = await failureOf(runHttpRequest(execution(httpStep({ method: 'GET', url: target.url })), deps));
      expect(failure.options).toEqual({ retryable: false, code: `HTTP_${status}` });
      expect(failure.message).toContain('no such order');
    }
  });

  test('a private address that is not allow-listed is refused without a connection', async () => {
    const refused = await failureOf(runHttpRequest(execution(httpStep({ method: 'POST', url: 'http://10.0.0.1/hook', body: 'x' })), deps));
    expect(refused.options).toEqual({ retryable: false, code: 'DESTINATION_REFUSED' });
    expect(refused.message).toBe('Step call: the destination is refused: 10.0.0.1 is a private address');

    // The same guard stands before a server we can watch: no connection reaches it.
    const target = await receiver();
    const loopback = await failureOf(runHttpRequest(execution(httpStep({ method: 'GET', url: target.url })), { ...deps, httpAllowList: [] }));
    expect(loopback.options).toEqual({ retryable: false, code: 'DESTINATION_REFUSED' });
    expect(loopback.message).toContain('127.0.0.1 is a loopback address');
    expect(target.connections).toBe(0);
  });

  test('a receiver that does not answer in time fails the attempt to be retried', async () => {
    const target = await receiver(() => {
      // Never answers.
    });
    const started = Date.now();

    const failure = await failureOf(runHttpRequest(execution(httpStep({ method: 'POST', url: target.url, body: 'x', timeoutMs: 1000 })), deps));

    expect(failure.options).toEqual({ retryable: true, code: 'TIMEOUT' });
    expect(failure.message).toBe(`Step call: no answer from ${target.url} within 1000 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(target.requests).toHaveLength(1);
  });

  test('a closed port fails the attempt to be retried', async () => {
    const target = await receiver();
    const [server] = servers.splice(0);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const failure = await failureOf(runHttpRequest(execution(httpStep({ method: 'GET', url: target.url })), deps));

    expect(failure.options).toEqual({ retryable: true, code: 'UNREACHABLE' });
    expect(failure.message).toContain('ECONNREFUSED');
  });

  test('a 307 is followed with the same method and body; secret headers do not follow it to another origin', async () => {
    const final = await receiver();
    const sameOrigin = await receiver((request, response) => {
      if (request.path === '/old') response.writeHead(307, { location: '/new' }).end();
      else response.writeHead(308, { location: `${final.url}/end` }).end();
    });
    const step = httpStep({
      method: 'PUT',
      url: `${sameOrigin.url}/old`,
      headers: [
        { name: 'X-Api-Key', value: 'k3y', secret: true },
        { name: 'X-Plain', value: 'plain', secret: false },
      ],
      body: ['a'],
    });

    await expect(runHttpRequest(execution(step), deps)).resolves.toMatchObject({ kind: 'done', output: { status: 204 } });

    expect(sameOrigin.requests.map((request) => [request.method, request.path, request.body, request.headers['x-api-key']])).toEqual([
      ['PUT', '/old', '["a"]', 'k3y'],
      ['PUT', '/new', '["a"]', 'k3y'],
    ]);
    const [arrived] = final.requests as [ReceivedRequest];
    expect([arrived.method, arrived.path, arrived.body, arrived.headers['x-plain']]).toEqual(['PUT', '/end', '["a"]', 'plain']);
    expect(arrived.headers['x-api-key']).toBeUndefined();
    expect(arrived.headers['idempotency-key']).toBe(sameOrigin.requests[0]!.headers['idempotency-key']);
  });

  test('a redirect to an address that is not allow-listed is refused, and a 302 is not followed', async () => {
    const target = await receiver((request, response) => {
      if (request.path === '/inside') response.writeHead(307, { location: 'http://10.0.0.1/admin' }).end();
      else response.writeHead(302, { location: '/elsewhere' }).end();
    });

    const inside = await failureOf(runHttpRequest(execution(httpStep({ method: 'GET', url: `${target.url}/inside` })), deps));
    const found = await failureOf(runHttpRequest(execution(httpStep({ method: 'POST', url: `${target.url}/moved`, body: 'x' })), deps));

    expect(inside.options).toEqual({ retryable: false, code: 'DESTINATION_REFUSED' });
    expect(inside.message).toBe('Step call: the destination is refused (redirected to http://10.0.0.1): 10.0.0.1 is a private address');
    expect(found.options).toEqual({ retryable: false, code: 'HTTP_302' });
    expect(target.requests.map((request) => request.path)).toEqual(['/inside', '/moved']);
  });

  test('a header that renders to a line break fails the run instead of injecting a header', async () => {
    const target = await receiver();
    const step = httpStep({ method: 'GET', url: target.url, headers: [{ name: 'X-Note', value: '{{trigger.note}}', secret: false }] });

    const failure = await failureOf(runHttpRequest(execution(step, { scope: { trigger: { note: 'a\r\nX-Admin: yes' }, vars: {}, steps: {} } }), deps));

    expect(failure.options).toEqual({ retryable: false, code: 'BAD_USER_INPUT' });
    expect(target.connections).toBe(0);
  });
});
