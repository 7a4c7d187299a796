import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChainCallRefusedError,
  ChainUnavailableError,
  createChainClient,
  createFailoverChainClient,
  type EndpointHealth,
  type FailoverChainClient,
  type FailoverOptions,
} from '@token-nexus/tokens/chain';
import { Wallet } from 'ethers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';
import { startTcpProxy } from '../testkit/tcp-proxy.ts';

/** Where RPC providers put API keys; none of it may show in an error or a health report. */
const secretPathAndQuery = '/v2/SECRETKEY?apikey=SECRET';

let node: EvmNode;
/** Another chain with the same id, mined apart from `node`: an endpoint ahead or behind. */
let otherNode: EvmNode;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  [node, otherNode] = await Promise.all([startEvmNode(), startEvmNode()]);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await node?.close();
  await otherNode?.close();
});

describe('choosing an endpoint', () => {
  test('operations go to the preferred endpoint while it is healthy, the next gets none', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next]);

    const head = await client.headNumber();
    await client.balanceOfEth(node.funder.address);
    await client.nonceOf(node.funder.address);

    expect(head).toBeGreaterThanOrEqual(0);
    expect(preferred.methods).toEqual(expect.arrayContaining(['eth_chainId', 'eth_blockNumber', 'eth_getBalance']));
    expect(next.methods).toEqual([]);
    expect(client.endpoints()).toEqual([
      { url: preferred.url, healthy: true, latencyMs: null, lastError: null, checkedAt: expect.any(Date) },
      { url: next.url, healthy: true, latencyMs: null, lastError: null, checkedAt: null },
    ]);
  });

  test('with the preferred endpoint cut, operations go on through the next, and its health names the host but no secret', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next]);
    await client.headNumber();

    preferred.cut();
    const balance = await client.balanceOfEth(node.funder.address);
    const head = await client.headNumber();

    expect(balance).toBeGreaterThan(0n);
    expect(head).toBeGreaterThanOrEqual(0);
    expect(next.methods).toContain('eth_getBalance');
    const [down, up] = client.endpoints();
    expect(down).toMatchObject({ healthy: false, checkedAt: expect.any(Date) });
    expect(down!.lastError).toContain(preferred.host);
    expect(down!.lastError).not.toMatch(/SECRET/);
    expect(up).toMatchObject({ healthy: true, lastError: null });
  });

  test('a restored preferred endpoint is skipped until recheckAfterMs has passed, then used again', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next], { recheckAfterMs: 800 });
    preferred.cut();
    await client.headNumber();
    preferred.restore();

    const askedBefore = preferred.methods.length;
    await client.headNumber();
    expect(preferred.methods.length).toBe(askedBefore);

    await sleep(850);
    await client.headNumber();
    expect(preferred.methods.length).toBeGreaterThan(askedBefore);
    expect(client.endpoints()[0]).toMatchObject({ healthy: true, lastError: null });
    const askedOfNext = next.methods.length;
    await client.headNumber();
    expect(next.methods.length).toBe(askedOfNext);
  });

  test('with every endpoint down, an operation fails as retryable listing each host, and works again once one is back', async () => {
    const [first, second] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([first, second], { recheckAfterMs: 60_000 });
    first.cut();
    second.cut();

    const error = await rejection(client.headNumber());

    expect(error).toBeInstanceOf(ChainUnavailableError);
    expect(error.message).toContain(first.host);
    expect(error.message).toContain(second.host);
    expect(error.message).not.toMatch(/SECRET/);
    expect(client.endpoints().map((endpoint) => endpoint.healthy)).toEqual([false, false]);

    // Long before recheckAfterMs: with nothing healthy, every endpoint is worth a try.
    second.restore();
    expect(await client.headNumber()).toBeGreaterThanOrEqual(0);
    expect(client.endpoints().map((endpoint) => endpoint.healthy)).toEqual([false, true]);
  });

  test('an endpoint answering HTTP 503 is failed over like one that is down, and then skipped', async () => {
    const failing = await startHttpServer((_request, response) => {
      response.writeHead(503).end();
    });
    const healthy = await endpointTo(node);
    const client = failover([failing, healthy]);

    expect(await client.headNumber()).toBeGreaterThanOrEqual(0);
    await client.headNumber();

    expect(failing.requests()).toBe(1);
    expect(client.endpoints()[0]).toMatchObject({ healthy: false, lastError: expect.stringMatching(/HTTP 503/) });
    expect(client.endpoints()[0]!.lastError).toContain(failing.host);
  });

  test('an endpoint that never answers is given up after timeoutMs, then skipped without waiting', async () => {
    const silent = await startSilentServer();
    const healthy = await endpointTo(node);
    const client = failover([silent, healthy], { timeoutMs: 800 });

    let started = Date.now();
    await client.headNumber();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(client.endpoints()[0]).toMatchObject({
      healthy: false,
      lastError: expect.stringMatching(/did not answer within 800 ms/),
    });

    const failedAt = client.endpoints()[0]!.checkedAt;
    started = Date.now();
    await client.headNumber();
    // Trying it again would take the whole timeout.
    expect(Date.now() - started).toBeLessThan(700);
    expect(client.endpoints()[0]!.checkedAt).toEqual(failedAt);
  });

  test('an endpoint due for a recheck holds up one of the operations running at the time, not all of them', async () => {
    const silent = await startSilentServer();
    const healthy = await endpointTo(node);
    const client = failover([silent, healthy], { timeoutMs: 800, recheckAfterMs: 200 });
    await client.headNumber();
    await sleep(250);

    const started = Date.now();
    const tookMs = await Promise.all(
      [1, 2, 3].map(async () => {
        await client.headNumber();
        return Date.now() - started;
      }),
    );

    expect(tookMs.filter((ms) => ms >= 800)).toHaveLength(1);
    expect(tookMs.filter((ms) => ms < 700)).toHaveLength(2);
  });

  test('an endpoint serving another chain is failed over, named with both chain ids', async () => {
    const mainnet = await startHttpServer(answerJsonRpc({ eth_chainId: '0x1', eth_blockNumber: '0x10' }));
    const healthy = await endpointTo(node);
    const client = failover([mainnet, healthy]);

    expect(await client.headNumber()).toBeGreaterThanOrEqual(0);
    expect(client.endpoints()[0]!.lastError).toMatch(/serves chain 1, not the configured chain 1337/);
  });
});

describe('answers that are not the endpoint failing', () => {
  test('a broadcast the node refuses is not sent again through the next endpoint', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next]);
    const poor = Wallet.createRandom();
    const deployment = await client.signDeployment(
      poor.privateKey,
      { name: 'Broke', symbol: 'BRK', decimals: 18, initialSupply: 1n, owner: poor.address },
      0,
    );

    const error = await rejection(client.broadcast(deployment.rawTransaction));

    expect(error).toBeInstanceOf(ChainCallRefusedError);
    expect(error).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
    expect(preferred.methods.filter((method) => method === 'eth_sendRawTransaction')).toHaveLength(1);
    expect(next.methods).toEqual([]);
    expect(client.endpoints()[0]).toMatchObject({ healthy: true, lastError: null });
  });

  test('a mistake of the caller is thrown at once and blames no endpoint', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next]);

    const error = await rejection(client.balanceOfEth('not an address'));

    expect(error).not.toBeInstanceOf(ChainUnavailableError);
    expect(next.methods).toEqual([]);
    expect(client.endpoints().map((endpoint) => endpoint.healthy)).toEqual([true, true]);
  });
});

describe('probing', () => {
  test('a probe reports each endpoint’s head and latency, and one more than maxLagBlocks behind as unhealthy', async () => {
    const [behind, ahead] = [await endpointTo(node), await endpointTo(otherNode)];
    const aheadHead = await putAhead(otherNode, node, 8);
    const client = failover([behind, ahead], { maxLagBlocks: 3 });

    const probed = await client.probe();

    expect(probed).toEqual([
      {
        url: behind.url,
        healthy: false,
        head: aheadHead - 8,
        latencyMs: expect.any(Number),
        lastError: expect.stringMatching(/8 blocks behind/),
        checkedAt: expect.any(Date),
      },
      { url: ahead.url, healthy: true, head: aheadHead, latencyMs: expect.any(Number), lastError: null, checkedAt: expect.any(Date) },
    ]);
    expect(probed[0]!.lastError).toContain(behind.host);
    expect(client.endpoints()).toEqual(probed.map(({ head: _head, ...health }) => health));
    const askedBehind = behind.methods.length;
    expect(await client.headNumber()).toBe(aheadHead);
    expect(behind.methods.length).toBe(askedBehind);
  });

  test('a lagging endpoint stays out of use past recheckAfterMs, until a probe finds it caught up', async () => {
    const [behind, ahead] = [await endpointTo(node), await endpointTo(otherNode)];
    await putAhead(otherNode, node, 8);
    const client = failover([behind, ahead], { maxLagBlocks: 3, recheckAfterMs: 200 });
    await client.probe();

    await sleep(250);
    const askedBehind = behind.methods.length;
    await client.headNumber();
    expect(behind.methods.length).toBe(askedBehind);
    expect(client.endpoints()[0]!.healthy).toBe(false);

    await node.mine(8);
    const probed = await client.probe();
    expect(probed.map((endpoint) => [endpoint.healthy, endpoint.lastError])).toEqual([
      [true, null],
      [true, null],
    ]);
    const askedAhead = ahead.methods.length;
    await client.headNumber();
    expect(ahead.methods.length).toBe(askedAhead);
  });

  test('a lagging endpoint still answers when every other one is down, and stays marked lagging', async () => {
    const [behind, ahead] = [await endpointTo(node), await endpointTo(otherNode)];
    const aheadHead = await putAhead(otherNode, node, 8);
    const client = failover([behind, ahead], { maxLagBlocks: 3 });
    await client.probe();
    ahead.cut();

    expect(await client.headNumber()).toBe(aheadHead - 8);

    expect(client.endpoints()[0]).toMatchObject({ healthy: false, lastError: expect.stringMatching(/8 blocks behind/) });
    expect(client.endpoints()[1]!.healthy).toBe(false);
  });

  test('a probe finds a recovered endpoint answering before recheckAfterMs, and operations return to it', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const client = failover([preferred, next], { recheckAfterMs: 60_000 });
    preferred.cut();
    await client.headNumber();
    preferred.restore();

    const probed = await client.probe();

    expect(probed[0]).toMatchObject({ healthy: true, lastError: null, head: expect.any(Number), latencyMs: expect.any(Number) });
    const askedOfNext = next.methods.length;
    await client.headNumber();
    expect(next.methods.length).toBe(askedOfNext);
  });

  test('probes run side by side, and one that fails reports no head and the host’s error', async () => {
    const [silent, alsoSilent] = [await startSilentServer(), await startSilentServer()];
    const healthy = await endpointTo(node);
    const client = failover([silent, alsoSilent, healthy], { timeoutMs: 1_000 });

    const started = Date.now();
    const probed = await client.probe();

    // One after the other would take at least twice the timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(probed.map((endpoint) => [endpoint.healthy, endpoint.head === null])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
    expect(probed[0]!.lastError).toBe(`node ${silent.host} did not answer within 1000 ms`);
    expect(probed[0]!.latencyMs).toBeNull();
  });
});

describe('reporting and closing', () => {
  test('onHealthChange is told of each flip, with every endpoint, and not of requests that change nothing', async () => {
    const [preferred, next] = [await endpointTo(node), await endpointTo(node)];
    const reports: EndpointHealth[][] = [];
    const client = failover([preferred, next], { recheckAfterMs: 300, onHealthChange: (health) => reports.push(health) });
    for (let read = 0; read < 3; read += 1) await client.headNumber();
    await client.probe();
    expect(reports).toEqual([]);

    preferred.cut();
    for (let read = 0; read < 3; read += 1) await client.headNumber();
    expect(reports.map((report) => report.map((endpoint) => endpoint.healthy))).toEqual([[false, true]]);

    preferred.restore();
    await sleep(350);
    for (let read = 0; read < 3; read += 1) await client.headNumber();
    expect(reports.map((report) => report.map((endpoint) => endpoint.healthy))).toEqual([
      [false, true],
      [true, true],
    ]);
  });

  test('closing ends requests in flight as retryable without blaming the endpoint, and refuses later ones', async () => {
    const silent = await startSilentServer();
    const healthy = await endpointTo(node);
    const reports: EndpointHealth[][] = [];
    const client = failover([silent, healthy], { timeoutMs: 60_000, onHealthChange: (health) => reports.push(health) });
    const request = rejection(client.headNumber());
    while (silent.connections() === 0) await sleep(10);

    const started = Date.now();
    await client.close();
    const error = await request;

    expect(error).toBeInstanceOf(ChainUnavailableError);
    expect(error.message).toMatch(/closed/);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(healthy.methods).toEqual([]);
    expect(await rejection(client.headNumber())).toBeInstanceOf(ChainUnavailableError);
    expect(await rejection(client.probe())).toBeInstanceOf(ChainUnavailableError);
    expect(client.endpoints().map((endpoint) => endpoint.healthy)).toEqual([true, true]);
    expect(reports).toEqual([]);
  });

  test('a client without any RPC URL is refused when created', () => {
    expect(() => createFailoverChainClient({ chainId: 1337, rpcUrls: [] })).toThrow(/at least one RPC URL/);
  });
});

/** Something a failover client can be pointed at. */
interface TestEndpoint {
  /** With an API key in path and query, as providers hand them out. */
  url: string;
  host: string;
}

/** A failover client of the test nodes' chain, closed after the test. */
function failover(endpoints: TestEndpoint[], options: FailoverOptions = {}): FailoverChainClient {
  const client = createFailoverChainClient(
    { chainId: node.chainId, rpcUrls: endpoints.map((endpoint) => endpoint.url) },
    { recheckAfterMs: 60_000, ...options },
  );
  cleanups.push(() => client.close());
  return client;
}

/**
 * `target` behind a JSON-RPC forwarder that records each method asked (to tell which
 * endpoint answered) and, in front of it, a TCP proxy to cut (the endpoint going down).
 */
async function endpointTo(target: EvmNode): Promise<TestEndpoint & { methods: string[]; cut(): void; restore(): void }> {
  const methods: string[] = [];
  const forwarder = await startHttpServer(async (request, response) => {
    const body = await readBody(request);
    methods.push((JSON.parse(body) as { method: string }).method);
    const answer = await fetch(target.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  const proxy = await startTcpProxy(`http://${forwarder.host}`);
  cleanups.push(() => proxy.close());
  return { url: `${proxy.url}${secretPathAndQuery}`, host: new URL(proxy.url).host, methods, cut: proxy.cut, restore: proxy.restore };
}

/** A local HTTP server answering with `handle`, counting the requests it got. */
async function startHttpServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<TestEndpoint & { requests(): number }> {
  let requests = 0;
  const server = createHttpServer((request, response) => {
    requests += 1;
    void Promise.resolve(handle(request, response)).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://${host}${secretPathAndQuery}`, host, requests: () => requests };
}

/** A JSON-RPC handler answering each method in `results` with its result. */
function answerJsonRpc(results: Record<string, string>) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const { id, method } = JSON.parse(await readBody(request)) as { id: number; method: string };
    const reply = { jsonrpc: '2.0', id, result: results[method] };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  };
}

/** A TCP server that accepts connections and never says a word. */
async function startSilentServer(): Promise<TestEndpoint & { connections(): number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let accepted = 0;
  server.on('connection', () => (accepted += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://${host}${secretPathAndQuery}`, host, connections: () => accepted };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

/** Mines on one node or the other until `ahead`'s head is `blocks` above `behind`'s; returns it. */
async function putAhead(ahead: EvmNode, behind: EvmNode, blocks: number): Promise<number> {
  const [aheadHead, behindHead] = await Promise.all([headOf(ahead), headOf(behind)]);
  const missing = behindHead + blocks - aheadHead;
  if (missing > 0) await ahead.mine(missing);
  if (missing < 0) await behind.mine(-missing);
  return Math.max(aheadHead, behindHead + blocks);
}

async function headOf(target: EvmNode): Promise<number> {
  const client = createChainClient({ rpcUrl: target.rpcUrl, chainId: target.chainId });
  try {
    return await client.headNumber();
  } finally {
    await client.close();
  }
}

/** What `promise` rejects with (failing the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => new Error('expected a rejection, got a result'),
    (error: Error) => ({ error }),
  );
  if (outcome instanceof Error) throw outcome;
  return outcome.error;
}
