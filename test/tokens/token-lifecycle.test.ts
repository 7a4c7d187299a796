import { Contract, JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nexusTokenAbi } from '@token-nexus/tokens/chain';
import type { EvmNode } from '../testkit/evm-node.ts';
import type { TestGraph } from '../testkit/graph.ts';
import { createToken, startTokenWorld, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';

/** Quick rounds, so a test sees the chain's changes within a second. */
const tokensEnv = { TOKENS_INDEXER_INTERVAL_MS: '200', TOKENS_RECEIPT_POLL_MS: '50' };

let world: TokenWorld;
let evm: EvmNode;
let graph: TestGraph;
let provider: JsonRpcProvider;
beforeAll(async () => {
  world = await startTokenWorld({ env: tokensEnv, confirmations: 2 });
  ({ evm, graph } = world);
  provider = new JsonRpcProvider(evm.rpcUrl, 1337, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
});
afterAll(async () => {
  provider?.destroy();
  await world?.close();
});

const balancesQuery = `query ($id: ID!) { token(id: $id) { balances(first: 100) { edges { node { holder balance } } } } }`;

async function apiBalances(client: TestGraph['client'], tokenId: string): Promise<Record<string, string>> {
  const data = await client.data(balancesQuery, { id: tokenId });
  return Object.fromEntries(data.token.balances.edges.map(({ node }: any) => [node.holder, node.balance]));
}

/** Every holder the API knows has exactly its on-chain balanceOf (and nobody else holds any). */
async function expectBalancesMatchChain(client: TestGraph['client'], tokenId: string, contract: Contract, holders: string[]) {
  let last: unknown;
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    const api = await apiBalances(client, tokenId);
    const chain: Record<string, string> = {};
    for (const holder of new Set([...holders, ...Object.keys(api)])) {
      const balance = (await contract.getFunction('balanceOf')(holder)) as bigint;
      if (balance !== 0n || api[holder] !== undefined) chain[holder] = balance.toString();
    }
    if (JSON.stringify(Object.entries(api).sort()) === JSON.stringify(Object.entries(chain).sort())) return api;
    last = { api, chain };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`balances never matched the chain: ${JSON.stringify(last)}`);
}

describe('a token from draft to chain and back', () => {
  test('deploy, mint, transfer, burn, pause and resume; balances and history match the chain, across an indexer restart and a reorg', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const draft = await createToken(owner.client, { orgId: organization.id, chainId: 1337 });
    expect(draft).toMatchObject({ status: 'DRAFT', initialSupply: '1000000000000000000000', contractAddress: null });
    const deployer: string = draft.deployerAddress;
    await evm.fund(deployer, '5');

    await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
    // Two confirmations: the deployment waits for a block on top of its own.
    const mining = { meanwhile: () => evm.mine(1) };
    const deployed = await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', mining);
    expect(deployed.status).toBe('DEPLOYED');
    const contract = new Contract(deployed.contractAddress, nexusTokenAbi, provider);
    expect(await contract.getFunction('decimals')()).toBe(18n);
    expect(await contract.getFunction('owner')()).toBe(deployer);

    const alice = Wallet.createRandom().connect(provider);
    const bob = Wallet.createRandom().address;
    const send = async (mutation: string, variables: Record<string, unknown>) => {
      const data = await owner.client.data(mutation, { tokenId: draft.id, ...variables });
      return Object.values(data)[0] as { id: string; status: string };
    };
    const sent = [
      await send(`mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { mintTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`, { to: alice.address, amount: parseEther('500').toString() }),
      await send(`mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`, { to: bob, amount: parseEther('100').toString() }),
      await send(`mutation ($tokenId: ID!, $amount: BigInt!) { burnTokens(tokenId: $tokenId, amount: $amount) { id status } }`, { amount: parseEther('50').toString() }),
    ];
    expect(sent.map((transaction) => transaction.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    // Mine as they come, so each reaches its two confirmations.
    const history = async () =>
      (await owner.client.data(`query ($id: ID!) { token(id: $id) { transactions(first: 100) { edges { node { id kind status from to amount txHash blockNumber requestedBy { id } } } } } }`, { id: draft.id })).token.transactions.edges.map(({ node }: any) => node);
    for (const started = Date.now(); Date.now() - started < 60_000; ) {
      const rows = await history();
      if (sent.every(({ id }) => rows.find((row: any) => row.id === id)?.status === 'CONFIRMED')) break;
      await evm.mine(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const confirmed = await history();
    for (const { id } of sent) expect(confirmed.find((row: any) => row.id === id)).toMatchObject({ status: 'CONFIRMED', requestedBy: { id: owner.id } });
    expect(confirmed.filter((row: any) => row.txHash && row.blockNumber).length).toBe(4); // the initial mint too
    const expected = {
      [deployer]: parseEther('850').toString(),
      [alice.address]: parseEther('500').toString(),
      [bob]: parseEther('100').toString(),
    };
    expect(await expectBalancesMatchChain(owner.client, draft.id, contract, [deployer, alice.address, bob])).toEqual(expected);

    // Pause: transfers stop on chain too; resume.
    await owner.client.data(`mutation ($id: ID!) { pauseToken(id: $id) { status } }`, { id: draft.id });
    await tokenWhen(owner.client, draft.id, (token) => token.status === 'PAUSED', { fields: 'status', ...mining });
    expect(await contract.getFunction('paused')()).toBe(true);
    await owner.client.data(`mutation ($id: ID!) { resumeToken(id: $id) { status } }`, { id: draft.id });
    await tokenWhen(owner.client, draft.id, (token) => token.status === 'DEPLOYED', { fields: 'status', ...mining });
    expect(await contract.getFunction('paused')()).toBe(false);

    // Someone transfers on chain, not through the platform: the indexer sees it.
    await evm.fund(alice.address, '1');
    const carol = Wallet.createRandom().address;
    await (await (contract.connect(alice) as Contract).getFunction('transfer')(carol, parseEther('20'))).wait();
    await expectBalancesMatchChain(owner.client, draft.id, contract, [deployer, alice.address, bob, carol]);

    // The indexer stops (its whole graph does) while the chain moves on, then resumes.
    const stopped = world.restartGraph();
    await (await (contract.connect(alice) as Contract).getFunction('transfer')(bob, parseEther('30'))).wait();
    await evm.mine(3);
    graph = await stopped;
    const afterRestart = await expectBalancesMatchChain(owner.client.withUrl(graph.gateway.url), draft.id, contract, [deployer, alice.address, bob, carol]);
    expect(afterRestart[bob]).toBe(parseEther('130').toString());

    // A reorganisation: a transfer is indexed, then its block is replaced by one without it.
    const snapshot = await evm.snapshot();
    await (await (contract.connect(alice) as Contract).getFunction('transfer')(carol, parseEther('7'))).wait();
    const client = owner.client.withUrl(graph.gateway.url);
    await expectBalancesMatchChain(client, draft.id, contract, [deployer, alice.address, bob, carol]);
    expect((await apiBalances(client, draft.id))[carol]).toBe(parseEther('27').toString());
    await evm.revert(snapshot);
    await (await (contract.connect(alice) as Contract).getFunction('transfer')(bob, parseEther('1'))).wait();
    await evm.mine(1);
    const reorged = await expectBalancesMatchChain(client, draft.id, contract, [deployer, alice.address, bob, carol]);
    expect(reorged[carol]).toBe(parseEther('20').toString());
    expect(reorged[bob]).toBe(parseEther('131').toString());
  }, 120_000);
});
