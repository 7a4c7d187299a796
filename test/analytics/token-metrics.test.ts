import { nexusTokenAbi } from '@token-nexus/tokens/chain';
import { Contract, JsonRpcProvider, Wallet, parseEther, parseUnits } from 'ethers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphQLClient } from '../testkit/client.ts';
import { addChain, createToken, startTokenWorld, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';
import { dayMs, eventually, expectContiguous, metricsOf, settled, sleep, utcDayStart } from './analytics-kit.ts';

/**
 * tokens.created, tokens.deployed (audit trail), tokens.transfers, tokens.volume and
 * tokens.holders (the tokens indexer's transactions and balances), from tokens created,
 * deployed, minted, transferred and burnt through the gateway on a local chain, and
 * transfers made on the chain directly. Its own database: token jobs are shared by every
 * graph on a database.
 */
const chainId = 1337;
const otherChainId = 31_337;
let world: TokenWorld;
let provider: JsonRpcProvider;
beforeAll(async () => {
  world = await startTokenWorld({
    chainId,
    env: { TOKENS_INDEXER_INTERVAL_MS: '200', TOKENS_RECEIPT_POLL_MS: '50', ANALYTICS_INGEST_INTERVAL_MS: '100' },
  });
  // A chain tokens can be defined for, whose node is never reached (nothing is deployed there).
  await addChain(world.admin, { chainId: otherChainId, rpcUrl: 'http://127.0.0.1:9/' });
  provider = new JsonRpcProvider(world.evm.rpcUrl, chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
}, 120_000);
afterAll(async () => {
  provider?.destroy();
  await world?.close();
});

const history = `query ($id: ID!) { token(id: $id) { transactions(first: 100) { edges { node { id kind status amount blockNumber } } } } }`;

async function transactionsOf(client: GraphQLClient, tokenId: string): Promise<{ id: string; kind: string; status: string; amount: string; blockNumber: number | null }[]> {
  return (await client.data(history, { id: tokenId })).token.transactions.edges.map(({ node }: any) => node);
}

/** A token created and deployed on the local chain (its initial supply minted to its deployer). */
async function deployedToken(client: GraphQLClient, orgId: string, input: { decimals?: number; initialSupply?: string; symbol?: string } = {}) {
  const draft = await createToken(client, { orgId, chainId, ...input });
  await world.evm.fund(draft.deployerAddress, '5');
  await client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
  const token = await tokenWhen(client, draft.id, (current) => current.status !== 'DEPLOYING' && current.status !== 'DRAFT');
  expect(token.status).toBe('DEPLOYED');
  return token;
}

/** Sends a mint, transfer or burn through the API and waits until every transaction of the token is confirmed. */
async function operate(client: GraphQLClient, tokenId: string, operation: 'mint' | 'transfer' | 'burn', amount: bigint, to?: string) {
  const mutation = {
    mint: `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { mintTokens(tokenId: $tokenId, to: $to, amount: $amount) { id } }`,
    transfer: `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id } }`,
    burn: `mutation ($tokenId: ID!, $amount: BigInt!) { burnTokens(tokenId: $tokenId, amount: $amount) { id } }`,
  }[operation];
  await client.data(mutation, { tokenId, amount: amount.toString(), ...(to ? { to } : {}) });
  await confirmed(client, tokenId);
}

async function confirmed(client: GraphQLClient, tokenId: string) {
  const rows = await eventually(
    () => transactionsOf(client, tokenId),
    (transactions) => transactions.length > 0 && transactions.every((transaction) => transaction.status === 'CONFIRMED'),
    30_000,
  );
  expect(rows.every((transaction) => transaction.status === 'CONFIRMED')).toBe(true);
  return rows;
}

describe('tokens.created and tokens.deployed', () => {
  test('tokens.created counts tokens defined, by chain; tokens.deployed counts those confirmed on their chain, by token', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const deployed = await deployedToken(owner.client, organization.id, { symbol: 'DEP' });
    await createToken(owner.client, { orgId: organization.id, chainId, symbol: 'DRAFT' });
    await createToken(owner.client, { orgId: organization.id, chainId: otherChainId, symbol: 'ELSE' });

    const created = { [String(chainId)]: 2, [String(otherChainId)]: 1 };
    expect(await settled(() => metrics.breakdown('tokens.created', 'chain'), created)).toEqual(created);
    expect(await metrics.value('tokens.created')).toBe(3);
    expect(await settled(() => metrics.breakdown('tokens.deployed', 'token'), { [deployed.id]: 1 })).toEqual({ [deployed.id]: 1 });
    expect(await metrics.summary('tokens.deployed')).toMatchObject({ value: 1, metric: { unit: 'tokens', aggregation: 'COUNT' } });
  }, 60_000);
});

describe('tokens.transfers, tokens.volume and tokens.holders', () => {
  test('every mint, transfer and burn (the initial supply included) counts once, its amount in whole tokens, by token', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const [alice, bob, carol] = [Wallet.createRandom().address, Wallet.createRandom().address, Wallet.createRandom().address];

    // 18 decimals: 1,000 minted at deployment, then 500 minted, 100 sent, 50 burnt.
    const big = await deployedToken(owner.client, organization.id, { symbol: 'BIG' });
    await operate(owner.client, big.id, 'mint', parseEther('500'), alice);
    await operate(owner.client, big.id, 'transfer', parseEther('100'), bob);
    await operate(owner.client, big.id, 'burn', parseEther('50'));
    // 2 decimals: 1,000.00 at deployment, then 12.34 sent.
    const cents = await deployedToken(owner.client, organization.id, { symbol: 'CTS', decimals: 2, initialSupply: '100000' });
    await operate(owner.client, cents.id, 'transfer', parseUnits('12.34', 2), carol);
    // Every one of them indexed (the initial supply's mint is found by the indexer alone).
    const indexed = (tokenId: string, count: number) =>
      eventually(async () => (await transactionsOf(owner.client, tokenId)).filter((row) => row.blockNumber !== null).length, (n) => n === count);
    expect(await indexed(big.id, 4)).toBe(4);
    expect(await indexed(cents.id, 2)).toBe(2);

    const transfers = { [big.id]: 4, [cents.id]: 2 };
    expect(await settled(() => metrics.breakdown('tokens.transfers', 'token'), transfers)).toEqual(transfers);
    expect(await metrics.summary('tokens.transfers')).toMatchObject({ value: 6, previousValue: 0, metric: { unit: 'transfers', aggregation: 'COUNT' } });
    expect(await metrics.breakdown('tokens.volume', 'token')).toEqual({ [big.id]: 1650, [cents.id]: 1012.34 });
    expect(await metrics.summary('tokens.volume')).toMatchObject({ value: 2662.34, metric: { unit: 'tokens', aggregation: 'SUM' } });

    await operate(owner.client, cents.id, 'burn', parseUnits('987.66', 2));
    const volume = { [big.id]: 1650, [cents.id]: 2000 };
    expect(await settled(() => metrics.breakdown('tokens.volume', 'token'), volume)).toEqual(volume);
    expect(await metrics.value('tokens.transfers')).toBe(7);

    // Over the last week by day: everything today, nothing before, the totals those of the summary.
    const today = utcDayStart(Date.now());
    const from = new Date(today.getTime() - 6 * dayMs);
    const to = new Date(today.getTime() + dayMs);
    const [daily] = await metrics.series({ name: 'tokens.transfers', from, to, interval: 'DAY' });
    expect(expectContiguous(daily!.points, from, dayMs, 7)).toEqual([]);
    expect(daily!.points.map((point) => point.v)).toEqual([0, 0, 0, 0, 0, 0, 7]);
    expect(daily!.total).toBe(7);
    const volumeByToken = await metrics.series({ name: 'tokens.volume', from, to, interval: 'DAY', dimension: 'token' });
    expect(volumeByToken.map((series) => [series.key, series.points.at(-1)!.v, series.total])).toEqual([
      [cents.id, 2000, 2000],
      [big.id, 1650, 1650],
    ]);
  }, 120_000);

  test('transfers made on the chain directly count too, and tokens.holders follows the addresses with a positive balance, up and down', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const token = await deployedToken(owner.client, organization.id, { symbol: 'ONC' });
    expect(await settled(() => metrics.breakdown('tokens.holders', 'token'), { [token.id]: 1 })).toEqual({ [token.id]: 1 });
    const alice = Wallet.createRandom().connect(provider);
    await operate(owner.client, token.id, 'mint', parseEther('40'), alice.address);
    await world.evm.fund(alice.address, '1');
    const contract = new Contract(token.contractAddress, nexusTokenAbi, alice);
    const dave = Wallet.createRandom().address;
    await (await contract.getFunction('transfer')(dave, parseEther('15'))).wait();
    await (await contract.getFunction('transfer')(dave, parseEther('5'))).wait();
    expect(await eventually(async () => (await transactionsOf(owner.client, token.id)).length, (n) => n === 4)).toBe(4);

    expect(await settled(() => metrics.value('tokens.transfers'), 4)).toBe(4);
    expect(await metrics.value('tokens.volume')).toBe(1060);
    // The deployer, alice (20) and dave (20).
    expect(await settled(() => metrics.breakdown('tokens.holders', 'token'), { [token.id]: 3 })).toEqual({ [token.id]: 3 });
    // Alice gives dave all she has left: one holder fewer.
    await (await contract.getFunction('transfer')(dave, parseEther('20'))).wait();
    expect(await settled(() => metrics.value('tokens.holders'), 2)).toBe(2);
    expect(await metrics.summary('tokens.holders')).toMatchObject({ value: 2, previousValue: 0, metric: { unit: 'holders', aggregation: 'GAUGE' } });
    const today = utcDayStart(Date.now());
    const [level] = await metrics.series({
      name: 'tokens.holders',
      from: new Date(today.getTime() - 2 * dayMs),
      to: new Date(today.getTime() + 2 * dayMs),
      interval: 'DAY',
    });
    // Nothing before today; the level today, carried into tomorrow.
    expect(level!.points.map((point) => point.v)).toEqual([0, 0, 2, 2]);
    expect(level!.total).toBe(2);
  }, 90_000);

  test('the recipient of a transfer sent through the platform counts as a holder, also when its receipt is seen before the indexer reads its block', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const token = await deployedToken(owner.client, organization.id, { symbol: 'RCP' });
    expect(await settled(() => metrics.value('tokens.holders'), 1)).toBe(1);
    const bob = Wallet.createRandom().address;
    // The indexer's next round waits (as a slow RPC node or a busy database would make it)
    // while the transfer is sent and its receipt arrives: the send job marks it CONFIRMED.
    await world.db.query('BEGIN');
    try {
      await world.db.query('LOCK TABLE tokens.indexed_blocks IN ACCESS EXCLUSIVE MODE');
      await owner.client.data(
        `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id } }`,
        { tokenId: token.id, to: bob, amount: parseEther('3').toString() },
      );
      const sent = await eventually(
        () => transactionsOf(owner.client, token.id),
        (rows) => rows.some((row) => row.kind === 'TRANSFER' && row.status === 'CONFIRMED'),
      );
      expect(sent.find((row) => row.kind === 'TRANSFER')).toMatchObject({ status: 'CONFIRMED' });
      // A dozen ingest rounds meanwhile.
      await sleep(1_500);
    } finally {
      await world.db.query('ROLLBACK');
    }
    // Now the indexer reads the block: bob holds 3.
    const balances = `query ($id: ID!) { token(id: $id) { balances(first: 100) { edges { node { holder balance } } } } }`;
    const holders = await eventually(
      async () => (await owner.client.data(balances, { id: token.id })).token.balances.edges.map(({ node }: any) => node.holder as string),
      (list: string[]) => list.includes(bob),
    );
    expect(holders).toHaveLength(2);
    expect(await settled(() => metrics.value('tokens.transfers'), 2)).toBe(2);
    expect(await settled(() => metrics.value('tokens.holders'), 2, 8_000)).toBe(2);
  }, 90_000);

  test('tokens.transfers split by kind counts mints, transfers and burns apart', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const token = await deployedToken(owner.client, organization.id, { symbol: 'KND' });
    await operate(owner.client, token.id, 'mint', parseEther('5'), Wallet.createRandom().address);
    await operate(owner.client, token.id, 'transfer', parseEther('1'), Wallet.createRandom().address);
    await operate(owner.client, token.id, 'burn', parseEther('1'));
    expect(await settled(() => metrics.value('tokens.transfers'), 4)).toBe(4);
    expect((await metrics.summary('tokens.transfers')).metric.dimensions).toEqual(['token', 'kind']);
    expect(await metrics.breakdown('tokens.transfers', 'kind')).toEqual({ MINT: 2, TRANSFER: 1, BURN: 1 });
  }, 60_000);

  test('a transfer undone by a chain reorganisation no longer counts, nor its amount, nor the holder it made', async () => {
    const { organization, owner } = await tokenOrganization(world.graph.client);
    const metrics = metricsOf(owner.client, organization.id);
    const token = await deployedToken(owner.client, organization.id, { symbol: 'ORG' });
    const alice = Wallet.createRandom().connect(provider);
    await operate(owner.client, token.id, 'mint', parseEther('100'), alice.address);
    await world.evm.fund(alice.address, '1');
    expect(await settled(() => metrics.value('tokens.transfers'), 2)).toBe(2);

    const snapshot = await world.evm.snapshot();
    const carol = Wallet.createRandom().address;
    await (await (new Contract(token.contractAddress, nexusTokenAbi, alice)).getFunction('transfer')(carol, parseEther('7'))).wait();
    // Indexed and counted…
    expect(await settled(() => metrics.value('tokens.transfers'), 3)).toBe(3);
    expect(await settled(() => metrics.value('tokens.holders'), 3)).toBe(3);
    // …then its block is replaced by others without it.
    await world.evm.revert(snapshot);
    await world.evm.mine(3);
    const remaining = await eventually(() => transactionsOf(owner.client, token.id), (rows) => rows.length === 2, 30_000);
    expect(remaining.map((row) => row.kind).sort()).toEqual(['MINT', 'MINT']);

    expect({
      transfers: await settled(() => metrics.value('tokens.transfers'), 2, 8_000),
      volume: await metrics.value('tokens.volume'),
      holders: await metrics.value('tokens.holders'),
    }).toEqual({ transfers: 2, volume: 1100, holders: 2 });
  }, 90_000);
});
