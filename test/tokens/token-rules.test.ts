import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { JsonRpcProvider } from 'ethers';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';
import { requestStatements, type TestGraph } from '../testkit/graph.ts';
import { signUpUser } from '../testkit/seed.ts';
import { addChain, createToken, startTokenWorld, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';

/**
 * Refusals, a chain that is down or hangs, and the cost of lists. Jobs retry quickly here
 * (3 attempts, 100 ms apart at first), a JSON-RPC call gives up after 500 ms, and a job
 * whose chain has no endpoint answering tries again 300 ms later.
 */
let world: TokenWorld;
let evm: EvmNode;
let graph: TestGraph;
let db: pg.Client;
let hanging: Server;
let provider: JsonRpcProvider;
/** Nodes started by tests, closed after the file. */
const nodes: EvmNode[] = [];
/** A live chain, one that refuses connections, one that never answers. */
const liveChain = 31_337_000;
const downChain = 31_337_001;
const hangingChain = 31_337_002;
beforeAll(async () => {
  world = await startTokenWorld({
    chainId: liveChain,
    env: {
      // No indexing or scanning rounds: their statements would blur the statement counts
      // below. The scanner still looks at once when an endpoint goes down (Chain.status,
      // which Token.waitingForChain reads).
      TOKENS_INDEXER_INTERVAL_MS: '600000',
      TOKENS_SCAN_INTERVAL_MS: '600000',
      TOKENS_RPC_RECHECK_MS: '300',
      TOKENS_RECEIPT_POLL_MS: '50',
      TOKENS_RPC_TIMEOUT_MS: '500',
      TOKENS_JOB_MAX_ATTEMPTS: '3',
      TOKENS_JOB_RETRY_BASE_MS: '100',
    },
  });
  ({ evm, graph, db } = world);
  provider = new JsonRpcProvider(evm.rpcUrl, liveChain, { staticNetwork: true, cacheTimeout: -1 });
  // Accepts connections and never answers: a chain RPC that is slow beyond any timeout.
  hanging = createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((resolve) => hanging.once('listening', resolve));
  const { admin } = world;
  await addChain(admin, { chainId: downChain, rpcUrl: 'http://127.0.0.1:9/' });
  await addChain(admin, { chainId: hangingChain, rpcUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/` });
});
afterAll(async () => {
  provider?.destroy();
  await Promise.all(nodes.map((node) => node.close()));
  await world?.close();
  hanging?.close();
});

async function sideEffects(tokenId: string, deployer: string) {
  const rows = await db.query('SELECT count(*)::int AS n FROM tokens.token_transactions WHERE token_id = $1', [tokenId]);
  const jobs = await db.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE payload->>'tokenId' = $1`, [tokenId]);
  return { transactions: rows.rows[0].n, jobs: jobs.rows[0].n, nonce: await provider.getTransactionCount(deployer) };
}

describe('refusals write nothing and send nothing', () => {
  test('bad amounts, addresses, decimals and symbols are BAD_USER_INPUT naming the field', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const create = (input: Record<string, unknown>) =>
      owner.client.request(`mutation ($input: CreateTokenInput!) { createToken(input: $input) { id } }`, {
        input: { orgId: organization.id, name: 'T', symbol: 'TOK', decimals: 18, initialSupply: '1', chainId: downChain, ...input },
      });
    for (const [input, field] of [
      [{ decimals: 40 }, 'input.decimals'],
      [{ decimals: -1 }, 'input.decimals'],
      [{ symbol: 'tok' }, 'input.symbol'],
      [{ initialSupply: '-5' }, 'input.initialSupply'],
      [{ initialSupply: (2n ** 256n).toString() }, 'input.initialSupply'],
      [{ chainId: 999 }, 'input.chainId'],
    ] as const) {
      const response = await create(input);
      expect(errorCodes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors?.[0]?.extensions?.field, JSON.stringify(input)).toBe(field);
    }
    // Not a decimal string: refused by the BigInt scalar before anything runs.
    for (const initialSupply of ['1.5', '1e21', 12]) {
      expect(errorCodes(await create({ initialSupply }))).toEqual(['BAD_USER_INPUT']);
    }
    const count = await db.query('SELECT count(*)::int AS n FROM tokens.tokens WHERE organization_id = $1', [organization.id]);
    expect(count.rows[0].n).toBe(0);
  });

  test('minting on a draft, illegal transitions, bad recipients, zero and negative amounts, a VIEWER, another organization', async () => {
    const { organization, owner, viewer } = await tokenOrganization(graph.client);
    const token = await createToken(owner.client, { orgId: organization.id, chainId: liveChain });
    await evm.fund(token.deployerAddress, '1');
    const before = await db.query('SELECT status FROM tokens.tokens WHERE id = $1', [token.id]);
    const mint = (client = owner.client, to = '0x000000000000000000000000000000000000dEaD', amount = '10') =>
      client.request(`mutation ($id: ID!, $to: String!, $amount: BigInt!) { mintTokens(tokenId: $id, to: $to, amount: $amount) { id } }`, {
        id: token.id,
        to,
        amount,
      });
    expect(errorCodes(await mint())).toEqual(['CONFLICT']); // a DRAFT has no contract
    expect(errorCodes(await mint(owner.client, '0x1234'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await mint(owner.client, '0x000000000000000000000000000000000000dead'.replace('dead', 'DEAd')))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await mint(owner.client, '0x0000000000000000000000000000000000000000'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await mint(owner.client, undefined, '0'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await mint(owner.client, undefined, '-10'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await mint(viewer.client))).toEqual(['FORBIDDEN']);
    const pause = await owner.client.request(`mutation ($id: ID!) { pauseToken(id: $id) { id } }`, { id: token.id });
    expect(errorCodes(pause)).toEqual(['BAD_USER_INPUT']);
    expect(pause.errors?.[0]?.message).toMatch(/DRAFT token cannot be paused/);
    const resume = await owner.client.request(`mutation ($id: ID!) { resumeToken(id: $id) { id } }`, { id: token.id });
    expect(errorCodes(resume)).toEqual(['BAD_USER_INPUT']);
    const viewerDeploy = await viewer.client.request(`mutation ($id: ID!) { deployToken(id: $id) { id } }`, { id: token.id });
    expect(errorCodes(viewerDeploy)).toEqual(['FORBIDDEN']);
    const stranger = await signUpUser(graph.client);
    expect(errorCodes(await stranger.client.request(`query ($id: ID!) { token(id: $id) { id } }`, { id: token.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await mint(stranger.client))).toEqual(['FORBIDDEN']);
    expect(await sideEffects(token.id, token.deployerAddress)).toEqual({ transactions: 0, jobs: 0, nonce: 0 });
    expect((await db.query('SELECT status FROM tokens.tokens WHERE id = $1', [token.id])).rows).toEqual(before.rows);

    // Retired is final.
    await owner.client.data(`mutation ($id: ID!) { retireToken(id: $id) { status } }`, { id: token.id });
    const again = await owner.client.request(`mutation ($id: ID!) { deployToken(id: $id) { id } }`, { id: token.id });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toMatch(/RETIRED token cannot be deployed/);
  });
});

describe('a chain that is down or hangs', () => {
  test.each([
    ['refuses connections', downChain],
    ['never answers', hangingChain],
  ])('when its only RPC endpoint %s, the deployment waits for the chain without failing or spending attempts, the API answers meanwhile, and it completes once a SYSTEM_ADMIN points the chain at a live node', async (_name, chainId) => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await createToken(owner.client, { orgId: organization.id, chainId });
    await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: token.id });
    // Meanwhile the API answers, however long the chain keeps the job waiting.
    const listed = await owner.client.data(`query ($orgId: ID!) { tokens(orgId: $orgId) { edges { node { status } } } }`, {
      orgId: organization.id,
    });
    expect(listed.tokens.edges[0].node.status).toBe('DEPLOYING');
    const waiting = await tokenWhen(owner.client, token.id, (current) => current.waitingForChain === true, {
      fields: 'status failureReason waitingForChain',
    });
    expect(waiting).toMatchObject({ status: 'DEPLOYING', failureReason: null });
    // More runs than its 3 attempts allow, each deferring the one job to a later run_at: it
    // never FAILS and never keeps an attempt (a failed one would count), and stays one row.
    const jobRows = async () =>
      (await db.query(`SELECT status::text AS status, attempts, run_at, last_error FROM jobs.jobs WHERE payload->>'tokenId' = $1`, [token.id])).rows;
    const runsAt = new Set<number>();
    let rows = await jobRows();
    for (const started = Date.now(); runsAt.size <= 4 && Date.now() - started < 30_000; rows = await jobRows()) {
      for (const row of rows) runsAt.add(new Date(row.run_at).getTime());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(runsAt.size).toBeGreaterThan(4);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: expect.stringMatching(/QUEUED|RELAYED|RUNNING/) });
    expect(rows[0].attempts).toBeLessThanOrEqual(1);
    expect(rows[0].last_error).toMatch(new RegExp(`^Waiting for chain ${chainId}`));
    const meanwhile = await tokenWhen(owner.client, token.id, () => true, { fields: 'status failureReason' });
    expect(meanwhile).toMatchObject({ status: 'DEPLOYING', failureReason: null });

    // The operator's fix: a node that serves the chain.
    const node = await startEvmNode({ chainId });
    nodes.push(node);
    await node.fund(token.deployerAddress, '1');
    await world.admin.client.data(`mutation ($chainId: Int!, $input: UpdateChainInput!) { updateChain(chainId: $chainId, input: $input) { chainId } }`, {
      chainId,
      input: { rpcUrl: node.rpcUrl },
    });
    const deployed = await tokenWhen(owner.client, token.id, (current) => current.status !== 'DEPLOYING', {
      fields: 'status failureReason contractAddress waitingForChain',
    });
    expect(deployed).toMatchObject({ status: 'DEPLOYED', failureReason: null, waitingForChain: false });
    // The chain's status shows the new endpoint answering (the scanner looks when the URLs change).
    const shown = await tokenWhen(owner.client, token.id, (current) => current.chain.status?.healthy === true, {
      fields: 'chain { status { healthy endpoints { url healthy lastError } } }',
      timeoutMs: 10_000,
    });
    expect(shown.chain.status.endpoints).toEqual([{ url: node.rpcUrl, healthy: true, lastError: null }]);
    const onChain = new JsonRpcProvider(node.rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1 });
    try {
      expect(await onChain.getCode(deployed.contractAddress)).not.toBe('0x');
    } finally {
      onChain.destroy();
    }
  }, 60_000);
});

describe('lists cost a constant number of statements', () => {
  test('100 tokens with organization, creator and balances cost what 10 do', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const query = `query ($orgId: ID!, $first: Int!) { tokens(orgId: $orgId, first: $first) { edges { node {
      id symbol organization { id name } createdBy { id displayName } chain { chainId name }
      balances(first: 5) { edges { node { holder balance } } } } } } }`;
    for (let made = 0; made < 100; made++) {
      await createToken(owner.client, { orgId: organization.id, chainId: downChain, symbol: `T${made}` });
    }
    const measure = async (first: number) => {
      graph.statements.length = 0;
      const data = await owner.client.data(query, { orgId: organization.id, first });
      expect(data.tokens.edges).toHaveLength(first);
      expect(data.tokens.edges[0].node.createdBy.displayName).toBe('Tess Treasurer');
      return requestStatements(graph).length;
    };
    await measure(1); // warms what a process caches once (plans, the viewer's session)
    const ten = await measure(10);
    const hundred = await measure(100);
    expect(hundred).toBe(ten);
  }, 120_000);
});
