import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, Wallet, parseEther } from 'ethers';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { nexusTokenAbi } from '@token-nexus/tokens/chain';
import { GraphQLClient, errorCodes } from '../testkit/client.ts';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';
import { freePortsEnv } from '../testkit/free-ports.ts';
import { startGraphProcess, type GraphProcess } from '../testkit/graph-process.ts';
import { createScratchDatabase } from '../testkit/scratch-database.ts';
import type { SignedUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient, type Received } from '../testkit/subscriptions.ts';
import { startTcpProxy, type TcpProxy } from '../testkit/tcp-proxy.ts';
import { addChain, createToken, startTokenWorld, systemAdmin, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';

/**
 * A chain's RPC endpoints as they fail and come back: jobs fail over to the next endpoint,
 * wait (spending no attempt) while none answers, and the scanner reports it all on
 * `Chain.status` and `chainStatusChanged`. And the URLs' secrets never leave the platform.
 *
 * The scanner runs only when woken (its interval is an hour here): every status below is
 * one that a client of the process seeing an endpoint flip, or a chain's endpoints being
 * replaced, asked for. That keeps the endpoints free of the scanner's probes between
 * flips, so that which endpoint carries the jobs' calls can be read from the proxies' byte
 * counts.
 */
const maxAttempts = 3;
const recheckMs = 1_000;
const tokensEnv = {
  TOKENS_INDEXER_INTERVAL_MS: '200',
  TOKENS_RECEIPT_POLL_MS: '50',
  // Nothing here hangs (a cut proxy or a stopped node fails at once): a generous timeout
  // keeps a slow answer on a loaded machine from counting as a failure.
  TOKENS_RPC_TIMEOUT_MS: '5000',
  TOKENS_RPC_RECHECK_MS: String(recheckMs),
  TOKENS_SCAN_INTERVAL_MS: '3600000',
  // Few attempts, quickly spent: a job that spent them while its chain was down would be
  // FAILED within a second.
  TOKENS_JOB_MAX_ATTEMPTS: String(maxAttempts),
  TOKENS_JOB_RETRY_BASE_MS: '100',
  // A send job holds its worker until its transaction is confirmed: room for every
  // transaction the test keeps waiting at once.
  JOB_CONCURRENCY: '8',
};

/** The world's chain, put behind two proxies; each other chain has a node of its own. */
const failoverChain = 31_337_700;
const stoppingChain = 31_337_701;
const watchedChain = 31_337_702;
const legacyChain = 31_337_703;
const secretChain = 31_337_704;
const refusedChain = 31_337_705;
/** On a graph process and database of its own. */
const loggedChain = 31_337_706;

let world: TokenWorld;
let db: pg.Client;
/** Closed after the file, last opened first. */
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  world = await startTokenWorld({ chainId: failoverChain, env: tokensEnv });
  ({ db } = world);
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await world?.close();
});

async function node(chainId: number): Promise<EvmNode> {
  const started = await startEvmNode({ chainId });
  cleanups.push(() => started.close());
  return started;
}

async function proxy(targetUrl: string): Promise<TcpProxy> {
  const started = await startTcpProxy(targetUrl);
  cleanups.push(() => started.close());
  return started;
}

/** `user`'s client of the world's graph as it runs now (restartGraph moves the gateway). */
const as = (user: SignedUpUser) => user.client.withUrl(world.graph.gateway.url);
/** The world's SYSTEM_ADMIN, on the graph as it runs now. */
const systemAdminNow = (): SignedUpUser => ({ ...world.admin, client: as(world.admin) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  let last: T | undefined;
  for (const started = Date.now(); Date.now() - started < timeoutMs; await sleep(100)) {
    last = await read();
    if (done(last)) return last;
  }
  throw new Error(`${what} never happened; last seen: ${JSON.stringify(last)}`);
}

const statusFields = 'healthy latestBlock endpoints { url healthy latencyMs lastError checkedAt } checkedAt';

/** A chain's `status` as `client` sees it (null before the first scan). */
async function chainStatus(client: GraphQLClient, chainId: number): Promise<Record<string, any> | null> {
  const data = await client.data(`query { chains(includeDisabled: true) { chainId status { ${statusFields} } } }`);
  return data.chains.find((chain: { chainId: number }) => chain.chainId === chainId)?.status ?? null;
}

function statusWhen(client: GraphQLClient, chainId: number, done: (status: Record<string, any>) => boolean, what: string) {
  return until(() => chainStatus(client, chainId), (status) => status !== null && done(status), what) as Promise<Record<string, any>>;
}

/** A DEPLOYED token of a new organization on `chainId`, its deployer funded on `evm`. */
async function deployedToken(evm: EvmNode, chainId: number) {
  const members = await tokenOrganization(world.graph.client);
  const { owner } = members;
  const draft = await createToken(as(owner), { orgId: members.organization.id, chainId });
  await evm.fund(draft.deployerAddress, '5');
  await as(owner).data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
  const token = await tokenWhen(as(owner), draft.id, (current) => current.status !== 'DEPLOYING', { timeoutMs: 60_000 });
  expect(token.status).toBe('DEPLOYED');
  return { ...members, token };
}

const mintMutation = `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { mintTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`;
const transferMutation = `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`;

async function transactions(client: GraphQLClient, tokenId: string): Promise<Record<string, any>[]> {
  const data = await client.data(
    `query ($id: ID!) { token(id: $id) { transactions(first: 100) { edges { node { id status txHash failureReason } } } } }`,
    { id: tokenId },
  );
  return data.token.transactions.edges.map(({ node: transaction }: { node: Record<string, any> }) => transaction);
}

/** Waits until every transaction of `ids` is CONFIRMED (failing at once if one FAILED); `meanwhile` runs between looks. */
async function confirmed(client: GraphQLClient, tokenId: string, ids: string[], meanwhile?: () => Promise<unknown>) {
  return until(
    async () => {
      const rows = (await transactions(client, tokenId)).filter((row) => ids.includes(row.id));
      const failed = rows.find((row) => row.status === 'FAILED');
      if (failed) throw new Error(`transaction ${failed.id} FAILED: ${failed.failureReason}`);
      if (rows.some((row) => row.status !== 'CONFIRMED')) await meanwhile?.();
      return rows;
    },
    (rows) => rows.length === ids.length && rows.every((row) => row.status === 'CONFIRMED'),
    'confirmation of every transaction',
    60_000,
  );
}

/** The API's balances equal balanceOf on chain for every holder either side knows of. */
async function expectBalancesMatchChain(client: GraphQLClient, tokenId: string, contract: Contract, holders: string[]) {
  return until(
    async () => {
      const data = await client.data(`query ($id: ID!) { token(id: $id) { balances(first: 100) { edges { node { holder balance } } } } }`, { id: tokenId });
      const api: Record<string, string> = Object.fromEntries(
        data.token.balances.edges.map(({ node: row }: { node: { holder: string; balance: string } }) => [row.holder, row.balance]),
      );
      const chain: Record<string, string> = {};
      for (const holder of new Set([...holders, ...Object.keys(api)])) {
        const balance = (await contract.getFunction('balanceOf')(holder)) as bigint;
        if (balance !== 0n || api[holder] !== undefined) chain[holder] = balance.toString();
      }
      return { api, chain };
    },
    ({ api, chain }) => JSON.stringify(Object.entries(api).sort()) === JSON.stringify(Object.entries(chain).sort()),
    'balances matching the chain',
  );
}

function tokenContract(evm: EvmNode, address: string): { contract: Contract; close: () => void } {
  const provider = new JsonRpcProvider(evm.rpcUrl, evm.chainId, { staticNetwork: true, cacheTimeout: -1 });
  return { contract: new Contract(address, nexusTokenAbi, provider), close: () => provider.destroy() };
}

/** Whether the node has the transaction (in its pool or mined). */
async function nodeHas(evm: EvmNode, hash: string): Promise<boolean> {
  const response = await fetch(evm.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionByHash', params: [hash] }),
  });
  return ((await response.json()) as { result: unknown }).result !== null;
}

/** Waits until each transaction is signed and in the node's pool: sent, waiting for its receipt. */
async function inPool(client: GraphQLClient, evm: EvmNode, tokenId: string, ids: string[]): Promise<void> {
  await until(
    async () => {
      const rows = (await transactions(client, tokenId)).filter((row) => ids.includes(row.id));
      return Promise.all(rows.map(async (row) => ({ ...row, inPool: row.txHash ? await nodeHas(evm, row.txHash) : false })));
    },
    (rows) => rows.length === ids.length && rows.every((row) => row.inPool),
    'every transaction reaching the node',
  );
}

describe('a chain with two endpoints', () => {
  test('when the preferred one is cut mid-run, the jobs complete through the other and the indexer follows; once it is back, after the recheck, calls return to it', async () => {
    const { evm, admin } = world;
    const preferred = await proxy(evm.rpcUrl);
    const second = await proxy(evm.rpcUrl);
    const preferredHost = new URL(preferred.url).host;
    await as(admin).data(`mutation ($chainId: Int!, $input: UpdateChainInput!) { updateChain(chainId: $chainId, input: $input) { chainId } }`, {
      chainId: failoverChain,
      input: { rpcUrls: [preferred.url, second.url] },
    });

    // The scanner looks at the new endpoints at once (probing both); then every call goes to
    // the preferred one.
    const fresh = await statusWhen(as(admin), failoverChain, (status) => status.endpoints.length === 2, 'the new endpoints shown');
    expect(fresh).toMatchObject({ healthy: true, endpoints: [{ url: preferred.url, healthy: true }, { url: second.url, healthy: true }] });
    const [preferredAtStart, secondAtStart] = [preferred.bytesForwarded(), second.bytesForwarded()];
    const { owner, token } = await deployedToken(evm, failoverChain);
    expect(preferred.bytesForwarded()).toBeGreaterThan(preferredAtStart);
    expect(second.bytesForwarded()).toBe(secondAtStart);

    const { contract, close } = tokenContract(evm, token.contractAddress);
    cleanups.push(async () => close());
    const deployer: string = token.deployerAddress;
    const [alice, bob, carol] = [Wallet.createRandom().address, Wallet.createRandom().address, Wallet.createRandom().address];
    const send = async (mutation: string, to: string, ether: string) =>
      Object.values(await as(owner).data(mutation, { tokenId: token.id, to, amount: parseEther(ether).toString() }))[0] as { id: string };

    // Nothing is mined until both batches are out: the first batch waits for its receipts
    // through the preferred endpoint when it is cut.
    await evm.stopMining();
    try {
      const before = [await send(mintMutation, alice, '100'), await send(mintMutation, bob, '50'), await send(transferMutation, carol, '10')];
      await inPool(as(owner), evm, token.id, before.map(({ id }) => id));
      const secondBefore = second.bytesForwarded();
      preferred.cut();
      const after = [await send(transferMutation, alice, '20'), await send(mintMutation, carol, '5')];
      await inPool(as(owner), evm, token.id, after.map(({ id }) => id));
      await evm.mine(1);
      await evm.startMining();
      await confirmed(as(owner), token.id, [...before, ...after].map(({ id }) => id));
      expect(second.bytesForwarded()).toBeGreaterThan(secondBefore);
    } finally {
      await evm.startMining();
    }
    expect((await expectBalancesMatchChain(as(owner), token.id, contract, [deployer, alice, bob, carol])).api).toEqual({
      [deployer]: parseEther('970').toString(),
      [alice]: parseEther('120').toString(),
      [bob]: parseEther('50').toString(),
      [carol]: parseEther('15').toString(),
    });

    const down = await statusWhen(as(admin), failoverChain, (status) => !status.endpoints[0].healthy, 'the preferred endpoint shown down');
    expect(down).toMatchObject({ healthy: true, endpoints: [{ url: preferred.url, healthy: false }, { url: second.url, healthy: true, lastError: null }] });
    expect(down.endpoints[0].lastError).toContain(preferredHost);
    expect(down.endpoints[0].lastError).not.toMatch(/https?:\/\//);

    preferred.restore();
    const back = await statusWhen(as(admin), failoverChain, (status) => status.endpoints[0].healthy, 'the preferred endpoint shown back');
    expect(back).toMatchObject({ healthy: true, endpoints: [{ healthy: true, lastError: null }, { healthy: true }] });
    // The scan that saw it back probed both endpoints: let it end before counting.
    await sleep(500);
    const [preferredBefore, secondBefore] = [preferred.bytesForwarded(), second.bytesForwarded()];
    const more = [await send(mintMutation, bob, '7'), await send(transferMutation, alice, '3')];
    await confirmed(as(owner), token.id, more.map(({ id }) => id));
    const balances = await expectBalancesMatchChain(as(owner), token.id, contract, [deployer, alice, bob, carol]);
    expect(balances.api[bob]).toBe(parseEther('57').toString());
    expect(preferred.bytesForwarded()).toBeGreaterThan(preferredBefore);
    expect(second.bytesForwarded()).toBe(secondBefore);
  }, 120_000);
});

describe('a chain none of whose endpoints answers', () => {
  test('a mint pending when the node stops waits for it without failing or spending attempts, the token shows waitingForChain, and the mint is CONFIRMED once the node is back', async () => {
    const evm = await node(stoppingChain);
    await addChain(systemAdminNow(), { chainId: stoppingChain, rpcUrl: evm.rpcUrl });
    const { owner, token } = await deployedToken(evm, stoppingChain);
    const alice = Wallet.createRandom().address;

    // Sent and waiting for its receipt when the node goes, which loses its pool with it.
    await evm.stopMining();
    const mint = Object.values(await as(owner).data(mintMutation, { tokenId: token.id, to: alice, amount: '5' }))[0] as { id: string };
    await inPool(as(owner), evm, token.id, [mint.id]);
    await evm.stop();

    const down = await statusWhen(as(world.admin), stoppingChain, (status) => !status.healthy, 'the chain shown unhealthy');
    expect(down.endpoints).toMatchObject([{ healthy: false }]);
    expect(down.endpoints[0].lastError).toContain(new URL(evm.rpcUrl).host);
    await tokenWhen(as(owner), token.id, (current) => current.waitingForChain === true, { fields: 'status waitingForChain' });
    // More runs than its attempts allow, each deferring the one job to a later run_at (the
    // job's row keeps the last one): it never FAILS and never keeps an attempt.
    const jobRows = () =>
      db.query(`SELECT status::text AS status, attempts, run_at, last_error FROM jobs.jobs WHERE payload->>'transactionId' = $1`, [mint.id]);
    const runsAt = new Set<number>();
    const rows = (
      await until(
        jobRows,
        (result) => {
          for (const row of result.rows) runsAt.add(new Date(row.run_at).getTime());
          return runsAt.size > maxAttempts + 1;
        },
        'the mint waiting several times',
        30_000,
      )
    ).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].status).not.toBe('FAILED');
    expect(rows[0].attempts).toBeLessThanOrEqual(1);
    expect(rows[0].last_error).toMatch(/^Waiting for chain/);
    expect((await transactions(as(owner), token.id)).find((row) => row.id === mint.id)).toMatchObject({ status: 'PENDING', failureReason: null });

    await evm.start();
    await evm.startMining();
    // The job sends its transaction again (the node lost it) on its next run; mining a block
    // now and then also takes one that arrived before mining was back on.
    await confirmed(as(owner), token.id, [mint.id], () => evm.mine(1));
    const { contract, close } = tokenContract(evm, token.contractAddress);
    try {
      expect(await contract.getFunction('balanceOf')(alice)).toBe(5n);
      await expectBalancesMatchChain(as(owner), token.id, contract, [token.deployerAddress, alice]);
    } finally {
      close();
    }
    expect((await tokenWhen(as(owner), token.id, () => true, { fields: 'status waitingForChain' })).waitingForChain).toBe(false);
    await statusWhen(as(world.admin), stoppingChain, (status) => status.healthy, 'the chain shown healthy again');
  }, 120_000);
});

describe('chainStatusChanged', () => {
  test('tells a signed-in member when the chain asked for goes down and when it is back, and a subscriber of another chain nothing of it', async () => {
    const evm = await node(watchedChain);
    await addChain(systemAdminNow(), { chainId: watchedChain, rpcUrl: evm.rpcUrl });
    // A deployed token, which the indexer follows: its reads are what notice the node go and come back.
    const { viewer } = await deployedToken(evm, watchedChain);
    const socket = webSocketClient(world.graph.gateway.url, { token: viewer.accessToken });
    cleanups.push(async () => socket.dispose());
    const query = `subscription ($chainId: ID) { chainStatusChanged(chainId: $chainId) { chainId status { healthy endpoints { healthy } } } }`;
    const watched = await subscribeOverWebSocket(socket, query, { chainId: String(watchedChain) });
    const other = await subscribeOverWebSocket(socket, query, { chainId: String(failoverChain) });
    // A new head on the other chain: the scans below, which look at every chain, announce it.
    await world.evm.mine(1);

    const nextWhere = async (done: (event: Received) => boolean) => {
      for (;;) {
        const event = await watched.next(20_000);
        expect(event.errors).toBeUndefined();
        expect(event.data?.chainStatusChanged.chainId).toBe(watchedChain);
        if (done(event)) return event;
      }
    };
    await evm.stop();
    const down = await nextWhere((event) => event.data?.chainStatusChanged.status.healthy === false);
    expect(down.data?.chainStatusChanged.status.endpoints).toEqual([{ healthy: false }]);
    await evm.start();
    const back = await nextWhere((event) => event.data?.chainStatusChanged.status.healthy === true);
    expect(back.data?.chainStatusChanged.status.endpoints).toEqual([{ healthy: true }]);

    const othersSeen = other.pending().map((event) => event.data?.chainStatusChanged.chainId);
    expect(othersSeen.length).toBeGreaterThan(0);
    expect(othersSeen.filter((chainId) => chainId !== failoverChain)).toEqual([]);
    watched.unsubscribe();
    other.unsubscribe();
  }, 120_000);
});

describe('chain inputs', () => {
  test('createChain refuses both spellings, more than 5 endpoints and a URL that is not http(s) as BAD_USER_INPUT naming the field, and stores nothing', async () => {
    const live = world.evm.rpcUrl;
    const create = (input: Record<string, unknown>) =>
      as(world.admin).request(`mutation ($input: CreateChainInput!) { createChain(input: $input) { chainId } }`, {
        input: { chainId: refusedChain, name: 'Refused', ...input },
      });
    for (const [input, field] of [
      [{ rpcUrl: live, rpcUrls: [live] }, 'input.rpcUrls'],
      [{ rpcUrls: Array.from({ length: 6 }, (_, index) => `${live}/?n=${index}`) }, 'input.rpcUrls'],
      [{ rpcUrls: [live, 'ws://127.0.0.1:8546'] }, 'input.rpcUrls[1]'],
      [{ rpcUrl: 'ftp://127.0.0.1/rpc' }, 'input.rpcUrl'],
      [{ rpcUrls: [] }, 'input.rpcUrls'],
      [{}, 'input.rpcUrls'],
    ] as const) {
      const response = await create(input);
      expect(errorCodes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field, JSON.stringify(input)).toBe(field);
    }
    const rows = await db.query('SELECT count(*)::int AS n FROM tokens.chains WHERE chain_id = $1', [refusedChain]);
    expect(rows.rows[0].n).toBe(0);
  });
});

/** A new node's RPC URLs carrying secrets where providers put them: a path, a query, credentials. */
async function keyedEndpoints(chainId: number) {
  const suffix = randomBytes(6).toString('hex');
  const secrets = { key: `SECRETKEY${suffix}`, apiKey: `SECRET2${suffix}`, user: `rpcuser${suffix}`, password: `rpcpass${suffix}` };
  const evm = await node(chainId);
  const proxied = await proxy(evm.rpcUrl);
  const nodeHost = new URL(evm.rpcUrl).host;
  const proxyHost = new URL(proxied.url).host;
  return {
    evm,
    /** In front of the URL with credentials, to take it down. */
    proxied,
    nodeHost,
    proxyHost,
    // The node serves JSON-RPC at / only: the keyed URL gets a 404 (as from a provider that
    // does not know the key), and calls fail over to the one with credentials, which the
    // node ignores.
    rpcUrls: [`http://${nodeHost}/v2/${secrets.key}?apikey=${secrets.apiKey}`, `http://${secrets.user}:${secrets.password}@${proxyHost}`],
    masked: [`http://${nodeHost}/…`, `http://${proxyHost}/…`],
    /** The secrets found in `text`. */
    leaked: (text: string) => Object.values(secrets).filter((secret) => text.includes(secret)),
  };
}

/**
 * Registers a chain on `endpoints` (as `admin`), deploys a token of a new organization on it
 * (through the URL with credentials), then takes that endpoint down too while a mint of the
 * token waits: every path that reports an endpoint's failure runs (requests, probes, the
 * waiting job). Returns the chain as created, the token's owner and the status both
 * endpoints down.
 */
async function keyedChainGoingDown(client: GraphQLClient, admin: SignedUpUser, chainId: number, endpoints: Awaited<ReturnType<typeof keyedEndpoints>>) {
  const created = await admin.client.data(`mutation ($input: CreateChainInput!) { createChain(input: $input) { chainId rpcUrl rpcUrls } }`, {
    input: { chainId, name: 'Keyed', rpcUrls: endpoints.rpcUrls },
  });
  const { organization, owner } = await tokenOrganization(client);
  const draft = await createToken(owner.client, { orgId: organization.id, chainId });
  await endpoints.evm.fund(draft.deployerAddress, '1');
  await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
  expect((await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', { timeoutMs: 60_000 })).status).toBe('DEPLOYED');

  endpoints.proxied.cut();
  await owner.client.data(mintMutation, { tokenId: draft.id, to: Wallet.createRandom().address, amount: '1' });
  await tokenWhen(owner.client, draft.id, (token) => token.waitingForChain === true, { fields: 'waitingForChain' });
  const status = await statusWhen(admin.client, chainId, (current) => current.endpoints.every((endpoint: any) => endpoint.lastError), 'both endpoints shown down');
  return { created: created.createChain, owner, status };
}

describe('RPC URLs carrying secrets', () => {
  test('are stored encrypted, shown masked to a SYSTEM_ADMIN and not at all to members, and reach no audit entry, endpoint error or database row', async () => {
    const endpoints = await keyedEndpoints(secretChain);
    const { leaked, masked } = endpoints;
    const { created, owner, status } = await keyedChainGoingDown(world.graph.client, systemAdminNow(), secretChain, endpoints);
    expect(created).toEqual({ chainId: secretChain, rpcUrl: masked[0], rpcUrls: masked });
    const seen = await as(owner).data(`query { chains { chainId rpcUrl rpcUrls } }`);
    expect(seen.chains.map((chain: { chainId: number }) => chain.chainId)).toContain(secretChain);
    expect(seen.chains.filter((chain: Record<string, unknown>) => chain.rpcUrl !== null || chain.rpcUrls !== null)).toEqual([]);

    expect(status).toMatchObject({ healthy: false, endpoints: [{ url: masked[0], healthy: false }, { url: masked[1], healthy: false }] });
    expect(status.endpoints[0].lastError).toContain(endpoints.nodeHost);
    expect(status.endpoints[1].lastError).toContain(endpoints.proxyHost);
    expect(leaked(JSON.stringify(status))).toEqual([]);
    expect(leaked(JSON.stringify(await chainStatus(as(owner), secretChain)))).toEqual([]);

    const chainRow = await db.query(`SELECT c::text AS row, encrypted_rpc_urls, rpc_url FROM tokens.chains c WHERE chain_id = $1`, [secretChain]);
    expect(chainRow.rows[0]).toMatchObject({ rpc_url: null, encrypted_rpc_urls: expect.stringMatching(/^v1:/) });
    expect(leaked(chainRow.rows[0].row)).toEqual([]);
    const trail = await db.query(`SELECT e::text AS row FROM audit.entries e WHERE action = 'chain.created' AND target_id = $1`, [String(secretChain)]);
    expect(trail.rows).toHaveLength(1);
    expect(trail.rows[0].row).toContain(masked[1]);
    expect(leaked(trail.rows[0].row)).toEqual([]);
    // Every row of every table of the world's database: statuses, jobs and their errors,
    // the trail, and whatever else stores text.
    const tables = await db.query(`SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
    for (const { schemaname, tablename } of tables.rows) {
      const everything = await db.query(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS text FROM "${schemaname}"."${tablename}" t`);
      expect(leaked(everything.rows[0].text), `${schemaname}.${tablename}`).toEqual([]);
    }
  }, 120_000);

  test('reach no line of what the graph logs while the endpoints work and fail', async () => {
    const endpoints = await keyedEndpoints(loggedChain);
    // A graph process of its own (the in-process graph's logs cannot be read), logging
    // everything, on a database of its own.
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const graph: GraphProcess = await startGraphProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: scratch.url,
      REDIS_URL: inject('redisUrl'),
      EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
      TRUSTED_PROXY_HOPS: '1',
      MEDIA_DIR: join(tmpdir(), `tnx-test-media-${randomUUID()}`),
      MAIL_DIR: join(tmpdir(), `tnx-test-mail-${randomUUID()}`),
      WEBHOOK_DISPATCH_INTERVAL_MS: '3600000',
      ...freePortsEnv(),
      ...tokensEnv,
      TOKENS_SCAN_INTERVAL_MS: '300',
    });
    cleanups.push(() => graph.stop());
    const client = new GraphQLClient(graph.url);
    await keyedChainGoingDown(client, await systemAdmin(client, scratch.url), loggedChain, endpoints);
    // Written while the endpoints failed: the log says so, without a secret.
    await until(async () => graph.output(), (output) => output.includes('Job deferred'), 'a log line of the waiting job');
    expect(endpoints.leaked(graph.output())).toEqual([]);
  }, 180_000);
});

describe('a chain stored before its RPC URLs were encrypted', () => {
  test('has its URL encrypted when the service starts, and still deploys tokens', async () => {
    const evm = await node(legacyChain);
    // With credentials, which the node ignores: a secret whose clear text must be gone.
    const password = `legacy${randomBytes(6).toString('hex')}`;
    const legacyUrl = evm.rpcUrl.replace('http://', `http://operator:${password}@`);
    await db.query(`INSERT INTO tokens.chains (chain_id, name, rpc_url, updated_at) VALUES ($1, 'Legacy', $2, now())`, [legacyChain, legacyUrl]);

    await world.restartGraph();
    const row = await db.query(`SELECT c::text AS row, rpc_url, encrypted_rpc_urls, masked_rpc_urls FROM tokens.chains c WHERE chain_id = $1`, [legacyChain]);
    expect(row.rows[0]).toMatchObject({
      rpc_url: null,
      encrypted_rpc_urls: expect.stringMatching(/^v1:/),
      masked_rpc_urls: [`http://${new URL(evm.rpcUrl).host}/…`],
    });
    expect(row.rows[0].row).not.toContain(password);

    await deployedToken(evm, legacyChain);
  }, 120_000);
});
