import {
  nexusTokenAbi,
  nexusTokenFactoryAbi,
  nexusTokenFactoryInterface,
  nexusTokenImplementationAbi,
  predictCloneAddress,
  tokenSalt,
} from '@token-nexus/tokens/chain';
import { Contract, JsonRpcProvider, Wallet, ZeroAddress, getAddress, isAddress, parseEther } from 'ethers';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes, type GraphQLClient } from '../testkit/client.ts';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';
import type { TestGraph } from '../testkit/graph.ts';
import type { SignedUpUser } from '../testkit/seed.ts';
import { addChain, createToken, startTokenWorld, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';

/**
 * The platform's token factory on a chain, through the gateway: deployTokenFactory (its
 * refusals, an unfunded deployer, idempotence), tokens created as EIP-1167 clones at the
 * address announced beforehand, and the indexer's view of the factory's TokenCreated
 * events and of the clones' transfers across reorganisations.
 *
 * The chain wants 2 confirmations, so that a transaction mined but not yet confirmed can
 * be dropped by a reorg before its job finishes; tests mine blocks while they wait for a
 * job. Jobs give up after 3 attempts, 100 ms apart at first, and a transaction not
 * confirmed within 5 s is sent again (what brings back a clone a reorg dropped).
 */
const chainId = 31_337_500;
/** A chain of its own with no factory: its tokens are full contracts. */
const plainChainId = 31_337_501;
const tokensEnv = {
  TOKENS_INDEXER_INTERVAL_MS: '200',
  TOKENS_RECEIPT_POLL_MS: '50',
  TOKENS_SCAN_INTERVAL_MS: '500',
  TOKENS_JOB_MAX_ATTEMPTS: '3',
  TOKENS_JOB_RETRY_BASE_MS: '100',
  TOKENS_CONFIRMATION_TIMEOUT_MS: '5000',
};

let world: TokenWorld;
let evm: EvmNode;
let graph: TestGraph;
let db: pg.Client;
let admin: SignedUpUser;
let provider: JsonRpcProvider;
beforeAll(async () => {
  world = await startTokenWorld({ chainId, confirmations: 2, env: tokensEnv });
  ({ evm, graph, db, admin } = world);
  provider = new JsonRpcProvider(evm.rpcUrl, chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
});
afterAll(async () => {
  provider?.destroy();
  await world?.close();
});

const factoryFields = 'status failureReason deployerAddress address implementationAddress deployedBlock deployedAt tokensCreated';
const deployFactoryMutation = `mutation ($chainId: ID!) { deployTokenFactory(chainId: $chainId) { chainId factory { ${factoryFields} } } }`;
const tokenFields = 'id status failureReason deployerAddress contractAddress predictedAddress deploymentMethod deployedBlock';

interface ChainView {
  chainId: number;
  factory: Record<string, any> | null;
  status: { reorgsLast24h: number } | null;
}

/** Polls `read` until `done` holds, running `meanwhile` (e.g. mining a block) between reads. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; meanwhile?: () => Promise<void> } = {},
): Promise<T> {
  let last: T | undefined;
  for (const started = Date.now(); Date.now() - started < (options.timeoutMs ?? 30_000); ) {
    last = await read();
    if (done(last)) return last;
    await options.meanwhile?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} never happened; last seen: ${JSON.stringify(last)}`);
}

/** The chain as the SYSTEM_ADMIN reads it: its factory and its status. */
async function chainView(): Promise<ChainView> {
  const data = await admin.client.data(`query { chains(includeDisabled: true) { chainId factory { ${factoryFields} } status { reorgsLast24h } } }`);
  return data.chains.find((chain: ChainView) => chain.chainId === chainId);
}

/** Mines a block between reads: jobs wait for 2 confirmations and the chain mines only on demand. */
const mining = { meanwhile: () => evm.mine(1) };

async function factoryJobs(): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE queue = 'tokens.factory'`);
  return rows[0].n;
}

/** Every TokenCreated event of the factory on chain right now. */
async function creationsOnChain(factoryAddress: string): Promise<number> {
  const topic = nexusTokenFactoryInterface.getEvent('TokenCreated')!.topicHash;
  return (await provider.getLogs({ address: factoryAddress, topics: [topic], fromBlock: 0, toBlock: 'latest' })).length;
}

let factoryReady: Promise<Record<string, any>> | undefined;
/**
 * The chain's DEPLOYED factory: the one the first test deployed, or (when a test runs on
 * its own) one deployed here from a funded deployer.
 */
function deployedFactory(): Promise<Record<string, any>> {
  factoryReady ??= (async () => {
    const requested = (await admin.client.data(deployFactoryMutation, { chainId: String(chainId) })).deployTokenFactory.factory;
    await evm.fund(requested.deployerAddress, '10');
    let settled = await until('the factory settling', chainView, (chain) => chain.factory?.status !== 'DEPLOYING', mining);
    // It may have failed for want of funds before the funding landed.
    if (settled.factory!.status === 'FAILED') {
      await admin.client.data(deployFactoryMutation, { chainId: String(chainId) });
      settled = await until('the factory settling', chainView, (chain) => chain.factory?.status !== 'DEPLOYING', mining);
    }
    expect(settled.factory).toMatchObject({ status: 'DEPLOYED' });
    return settled.factory!;
  })();
  return factoryReady;
}

async function readToken(client: GraphQLClient, id: string): Promise<Record<string, any>> {
  return (await client.data(`query ($id: ID!) { token(id: $id) { ${tokenFields} } }`, { id })).token;
}

/** Defines a token on the factory's chain, funds its deployer, deploys it and waits for DEPLOYED. */
async function deployedClone(
  owner: SignedUpUser,
  orgId: string,
  input: Partial<{ name: string; symbol: string; decimals: number; initialSupply: string }> = {},
): Promise<Record<string, any>> {
  const draft = await createToken(owner.client, { orgId, chainId, ...input });
  await evm.fund(draft.deployerAddress, '5');
  await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
  const deployed = await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', { fields: tokenFields, ...mining });
  expect(deployed).toMatchObject({ status: 'DEPLOYED', deploymentMethod: 'FACTORY' });
  return deployed;
}

/** EIP-1167's runtime code delegating to `implementation`: 45 bytes. */
function minimalProxyCode(implementation: string): string {
  return `0x363d3d373d3d3d363d73${implementation.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3`;
}

async function apiBalances(client: GraphQLClient, tokenId: string): Promise<Record<string, string>> {
  const data = await client.data(`query ($id: ID!) { token(id: $id) { balances(first: 100) { edges { node { holder balance } } } } }`, { id: tokenId });
  return Object.fromEntries(data.token.balances.edges.map(({ node }: any) => [node.holder, node.balance]));
}

/** Waits until every holder the API knows (and each of `holders`) has exactly its on-chain balanceOf; returns the API's balances. */
async function balancesMatchingChain(client: GraphQLClient, tokenId: string, token: Contract, holders: string[]): Promise<Record<string, string>> {
  let last: unknown;
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    const api = await apiBalances(client, tokenId);
    const chain: Record<string, string> = {};
    for (const holder of new Set([...holders, ...Object.keys(api)])) {
      const balance = (await token.getFunction('balanceOf')(holder)) as bigint;
      if (balance !== 0n || api[holder] !== undefined) chain[holder] = balance.toString();
    }
    if (JSON.stringify(Object.entries(api).sort()) === JSON.stringify(Object.entries(chain).sort())) return api;
    last = { api, chain };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`balances never matched the chain: ${JSON.stringify(last)}`);
}

async function history(client: GraphQLClient, tokenId: string): Promise<Record<string, any>[]> {
  const data = await client.data(
    `query ($id: ID!) { token(id: $id) { transactions(first: 100) { edges { node { id kind status from to amount txHash blockNumber } } } } }`,
    { id: tokenId },
  );
  return data.token.transactions.edges.map(({ node }: any) => node);
}

/** Sends a mint, transfer or burn through the API and waits until it is CONFIRMED. */
async function confirmedOperation(owner: SignedUpUser, mutation: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const data = await owner.client.data(mutation, variables);
  const sent = Object.values(data)[0] as { id: string; status: string };
  expect(sent.status).toBe('PENDING');
  const tokenId = variables.tokenId as string;
  const rows = await until(`transaction ${sent.id} confirmed`, () => history(owner.client, tokenId), (all) =>
    all.some((row) => row.id === sent.id && row.status !== 'PENDING'), mining);
  return rows.find((row) => row.id === sent.id)!;
}

const mintMutation = `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { mintTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`;
const transferMutation = `mutation ($tokenId: ID!, $to: String!, $amount: BigInt!) { transferTokens(tokenId: $tokenId, to: $to, amount: $amount) { id status } }`;
const burnMutation = `mutation ($tokenId: ID!, $amount: BigInt!) { burnTokens(tokenId: $tokenId, amount: $amount) { id status } }`;

describe('deployTokenFactory refusals', () => {
  test('an organization OWNER is FORBIDDEN, a chain id that is not one is BAD_USER_INPUT, an unknown chain is NOT_FOUND, and none of them writes anything', async () => {
    const { owner } = await tokenOrganization(graph.client);
    const ask = (client: GraphQLClient, id: string) => client.request(deployFactoryMutation, { chainId: id });

    expect(errorCodes(await ask(graph.client, String(chainId)))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await ask(owner.client, String(chainId)))).toEqual(['FORBIDDEN']);
    const notAnId = await ask(admin.client, 'abc');
    expect(errorCodes(notAnId)).toEqual(['BAD_USER_INPUT']);
    expect(notAnId.errors?.[0]?.extensions?.field).toBe('chainId');
    expect(errorCodes(await ask(admin.client, '424242'))).toEqual(['NOT_FOUND']);

    const factories = await db.query('SELECT count(*)::int AS n FROM tokens.token_factories');
    const platformKeys = await db.query(`SELECT count(*)::int AS n FROM tokens.deployer_keys WHERE organization_id = '00000000-0000-0000-0000-000000000000'`);
    expect({ factories: factories.rows[0].n, platformKeys: platformKeys.rows[0].n, jobs: await factoryJobs() }).toEqual({
      factories: 0,
      platformKeys: 0,
      jobs: 0,
    });
    expect((await chainView()).factory).toBeNull();
  });
});

describe('the factory on a chain', () => {
  test('an unfunded deployer fails with a reason telling to fund it; funded, a second call deploys a locked implementation and the factory over it; a third changes nothing', async () => {
    // A draft defined before the factory exists, and read: it has no predicted address yet.
    const { organization, owner } = await tokenOrganization(graph.client);
    const early = await createToken(owner.client, { orgId: organization.id, chainId });
    expect(await readToken(owner.client, early.id)).toMatchObject({ status: 'DRAFT', predictedAddress: null, deploymentMethod: null });

    const first = (await admin.client.data(deployFactoryMutation, { chainId: String(chainId) })).deployTokenFactory;
    expect(first.chainId).toBe(chainId);
    expect(first.factory).toMatchObject({ status: 'DEPLOYING', address: null, implementationAddress: null, failureReason: null, tokensCreated: 0 });
    const deployer: string = first.factory.deployerAddress;
    expect(isAddress(deployer)).toBe(true);

    const failed = (await until('the unfunded deployment failing', chainView, (chain) => chain.factory?.status !== 'DEPLOYING')).factory!;
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toContain(deployer);
    expect(failed.failureReason).toMatch(/fund it/i);
    expect(failed.address).toBeNull();
    // Nothing reached the chain.
    expect(await provider.getTransactionCount(deployer)).toBe(0);

    await evm.fund(deployer, '10');
    const again = (await admin.client.data(deployFactoryMutation, { chainId: String(chainId) })).deployTokenFactory.factory;
    expect(again).toMatchObject({ status: 'DEPLOYING', deployerAddress: deployer, failureReason: null });
    const factory = (await until('the factory deployed', chainView, (chain) => chain.factory?.status !== 'DEPLOYING', mining)).factory!;
    expect(factory).toMatchObject({ status: 'DEPLOYED', failureReason: null, deployerAddress: deployer, tokensCreated: 0 });
    factoryReady = Promise.resolve(factory);
    expect(isAddress(factory.address)).toBe(true);
    expect(isAddress(factory.implementationAddress)).toBe(true);
    expect(Date.parse(factory.deployedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Both deployments, each exactly once, although the first was sent in vain three times.
    expect(await provider.getTransactionCount(deployer)).toBe(2);

    // The factory appeared in deployedBlock, and runs over the implementation.
    expect(await provider.getCode(factory.address, factory.deployedBlock - 1)).toBe('0x');
    expect(await provider.getCode(factory.address, factory.deployedBlock)).not.toBe('0x');
    const onChainFactory = new Contract(factory.address, nexusTokenFactoryAbi, provider);
    expect(await onChainFactory.getFunction('implementation')()).toBe(factory.implementationAddress);

    // Nobody can take the implementation over by initializing it.
    const stranger = Wallet.createRandom().connect(provider);
    await evm.fund(stranger.address, '1');
    const implementation = new Contract(factory.implementationAddress, nexusTokenImplementationAbi, stranger);
    const initialize = implementation.getFunction('initialize');
    await expect(initialize.staticCall('Hijack', 'HJK', 18, 1n, stranger.address)).rejects.toMatchObject({
      revert: { name: 'InvalidInitialization' },
    });
    // Sent anyway (a gas limit given, so no estimate stops it first): it reverts on chain.
    const sent = await initialize.send('Hijack', 'HJK', 18, 1n, stranger.address, { gasLimit: 500_000 });
    await expect(sent.wait()).rejects.toMatchObject({ code: 'CALL_EXCEPTION' });
    expect(await implementation.getFunction('owner')()).toBe(ZeroAddress);
    expect(await implementation.getFunction('totalSupply')()).toBe(0n);

    // The draft read before now has its address.
    expect((await readToken(owner.client, early.id)).predictedAddress).toBe(
      predictCloneAddress({ factory: factory.address, implementation: factory.implementationAddress, creator: early.deployerAddress, tokenId: early.id }),
    );

    // Once DEPLOYED, asking again returns the same factory and queues nothing.
    const jobsBefore = await factoryJobs();
    expect(jobsBefore).toBe(2);
    const third = (await admin.client.data(deployFactoryMutation, { chainId: String(chainId) })).deployTokenFactory.factory;
    expect(third).toEqual(factory);
    expect(await factoryJobs()).toBe(jobsBefore);
    expect(await provider.getTransactionCount(deployer)).toBe(2);
  }, 90_000);
});

describe('tokens created as clones', () => {
  test('a draft shows the address its clone will have; deployToken creates it there in one transaction, and mint, transfer, burn, pause and resume work on it', async () => {
    const factory = await deployedFactory();
    const { organization, owner } = await tokenOrganization(graph.client);
    const draft = await createToken(owner.client, {
      orgId: organization.id,
      chainId,
      name: 'Clone Credit',
      symbol: 'CLC',
      decimals: 6,
      initialSupply: '1000000000',
    });
    const deployer: string = draft.deployerAddress;
    const predicted = predictCloneAddress({ factory: factory.address, implementation: factory.implementationAddress, creator: deployer, tokenId: draft.id });
    expect(await readToken(owner.client, draft.id)).toMatchObject({
      status: 'DRAFT',
      predictedAddress: predicted,
      contractAddress: null,
      deploymentMethod: null,
    });
    // The factory on chain agrees, and nothing is there yet.
    const onChainFactory = new Contract(factory.address, nexusTokenFactoryAbi, provider);
    expect(await onChainFactory.getFunction('predictTokenAddress')(deployer, tokenSalt(draft.id))).toBe(predicted);
    expect(await provider.getCode(predicted)).toBe('0x');

    await evm.fund(deployer, '5');
    await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
    const deployed = await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', { fields: tokenFields, ...mining });
    expect(deployed).toMatchObject({ status: 'DEPLOYED', contractAddress: predicted, predictedAddress: predicted, deploymentMethod: 'FACTORY', failureReason: null });
    // One transaction of the organization's deployer: the factory's createToken.
    expect(await provider.getTransactionCount(deployer)).toBe(1);

    expect(await provider.getCode(predicted)).toBe(minimalProxyCode(factory.implementationAddress));
    expect((await provider.getCode(predicted)).length).toBe(2 + 45 * 2);
    const clone = new Contract(predicted, nexusTokenImplementationAbi, provider);
    expect({
      name: await clone.getFunction('name')(),
      symbol: await clone.getFunction('symbol')(),
      decimals: await clone.getFunction('decimals')(),
      totalSupply: await clone.getFunction('totalSupply')(),
      owner: await clone.getFunction('owner')(),
      deployerBalance: await clone.getFunction('balanceOf')(deployer),
    }).toEqual({ name: 'Clone Credit', symbol: 'CLC', decimals: 6n, totalSupply: 1_000_000_000n, owner: deployer, deployerBalance: 1_000_000_000n });
    await until('the creation indexed', chainView, (chain) => chain.factory?.tokensCreated === 1);

    const alice = Wallet.createRandom().address;
    const bob = Wallet.createRandom().address;
    const done = [
      await confirmedOperation(owner, mintMutation, { tokenId: draft.id, to: alice, amount: '500000' }),
      await confirmedOperation(owner, transferMutation, { tokenId: draft.id, to: bob, amount: '100000' }),
      await confirmedOperation(owner, burnMutation, { tokenId: draft.id, amount: '50000' }),
    ];
    expect(done.map((row) => [row.kind, row.status])).toEqual([
      ['MINT', 'CONFIRMED'],
      ['TRANSFER', 'CONFIRMED'],
      ['BURN', 'CONFIRMED'],
    ]);
    expect(await balancesMatchingChain(owner.client, draft.id, clone, [deployer, alice, bob])).toEqual({
      [deployer]: '999850000',
      [alice]: '500000',
      [bob]: '100000',
    });
    // The initial supply, minted by createToken, is in the history too.
    expect((await history(owner.client, draft.id)).filter((row) => row.kind === 'MINT' && row.to === deployer)).toHaveLength(1);

    await owner.client.data(`mutation ($id: ID!) { pauseToken(id: $id) { status } }`, { id: draft.id });
    await tokenWhen(owner.client, draft.id, (token) => token.status === 'PAUSED', { fields: 'status', ...mining });
    expect(await clone.getFunction('paused')()).toBe(true);
    await owner.client.data(`mutation ($id: ID!) { resumeToken(id: $id) { status } }`, { id: draft.id });
    await tokenWhen(owner.client, draft.id, (token) => token.status === 'DEPLOYED', { fields: 'status', ...mining });
    expect(await clone.getFunction('paused')()).toBe(false);

    // A second token: a second clone, elsewhere, counted too.
    const second = await deployedClone(owner, organization.id, { symbol: 'CLD' });
    expect(second.contractAddress).not.toBe(predicted);
    expect(second.contractAddress).toBe(second.predictedAddress);
    expect(await provider.getCode(second.contractAddress)).toBe(minimalProxyCode(factory.implementationAddress));
    await until('the second creation indexed', chainView, (chain) => chain.factory?.tokensCreated === 2);
  }, 120_000);

  test('a token on a chain without a factory is deployed as a full contract, with no predicted address', async () => {
    const plain = await startEvmNode({ chainId: plainChainId });
    const plainProvider = new JsonRpcProvider(plain.rpcUrl, plainChainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    try {
      await addChain(admin, { chainId: plainChainId, rpcUrl: plain.rpcUrl });
      const { organization, owner } = await tokenOrganization(graph.client);
      const draft = await createToken(owner.client, { orgId: organization.id, chainId: plainChainId, symbol: 'PLN' });
      expect(await readToken(owner.client, draft.id)).toMatchObject({ status: 'DRAFT', predictedAddress: null });
      await plain.fund(draft.deployerAddress, '5');
      await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
      const deployed = await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', { fields: tokenFields });
      expect(deployed).toMatchObject({ status: 'DEPLOYED', deploymentMethod: 'CONTRACT', predictedAddress: null });
      const code = await plainProvider.getCode(deployed.contractAddress);
      expect((code.length - 2) / 2).toBeGreaterThan(45);
      const token = new Contract(deployed.contractAddress, nexusTokenAbi, plainProvider);
      expect(await token.getFunction('symbol')()).toBe('PLN');
      expect(await token.getFunction('owner')()).toBe(draft.deployerAddress);
      // The factory chain's count is its own.
      const view = await admin.client.data(`query { chains(includeDisabled: true) { chainId factory { status } } }`);
      expect(view.chains.find((chain: ChainView) => chain.chainId === plainChainId).factory).toBeNull();
    } finally {
      plainProvider.destroy();
      await plain.close();
    }
  }, 60_000);
});

describe('clones across reorganisations', () => {
  test('transfers on a clone in a dropped branch are undone: balances equal balanceOf, their transactions are gone, and the reorg is counted', async () => {
    await deployedFactory();
    const { organization, owner } = await tokenOrganization(graph.client);
    const deployed = await deployedClone(owner, organization.id, { symbol: 'RGC', decimals: 18, initialSupply: parseEther('1000').toString() });
    const deployer: string = deployed.deployerAddress;
    const clone = new Contract(deployed.contractAddress, nexusTokenImplementationAbi, provider);
    const alice = Wallet.createRandom().connect(provider);
    const [bob, carol, dave] = [Wallet.createRandom().address, Wallet.createRandom().address, Wallet.createRandom().address];
    await confirmedOperation(owner, mintMutation, { tokenId: deployed.id, to: alice.address, amount: parseEther('100').toString() });
    await evm.fund(alice.address, '1');
    const holders = [deployer, alice.address, bob, carol, dave];
    await balancesMatchingChain(owner.client, deployed.id, clone, holders);
    const reorgsBefore = (await until('a first scan', chainView, (chain) => chain.status !== null)).status!.reorgsLast24h;

    const snapshot = await evm.snapshot();
    const aliceSends = clone.connect(alice) as Contract;
    const droppedHashes = [
      (await (await aliceSends.getFunction('transfer')(carol, parseEther('7'))).wait()).hash,
      (await (await aliceSends.getFunction('transfer')(dave, parseEther('3'))).wait()).hash,
    ];
    const indexed = await balancesMatchingChain(owner.client, deployed.id, clone, holders);
    expect(indexed).toMatchObject({ [carol]: parseEther('7').toString(), [dave]: parseEther('3').toString() });
    const seen = (await history(owner.client, deployed.id)).map((row) => row.txHash);
    expect(seen).toEqual(expect.arrayContaining(droppedHashes));

    // The branch is replaced by one where alice pays bob instead.
    await evm.revert(snapshot);
    const kept = await (await aliceSends.getFunction('transfer')(bob, parseEther('5'))).wait();
    await evm.mine(1);
    const reorged = await balancesMatchingChain(owner.client, deployed.id, clone, holders);
    expect(reorged).toEqual({
      [deployer]: parseEther('1000').toString(),
      [alice.address]: parseEther('95').toString(),
      [bob]: parseEther('5').toString(),
    });
    const after = await history(owner.client, deployed.id);
    expect(after.map((row) => row.txHash)).not.toEqual(expect.arrayContaining([droppedHashes[0]]));
    expect(after.map((row) => row.txHash)).not.toEqual(expect.arrayContaining([droppedHashes[1]]));
    expect(after.find((row) => row.txHash === kept!.hash)).toMatchObject({
      kind: 'TRANSFER',
      from: alice.address,
      to: bob,
      amount: parseEther('5').toString(),
    });
    await until('the reorg counted', chainView, (chain) => (chain.status?.reorgsLast24h ?? 0) > reorgsBefore);
  }, 120_000);

  test('a clone created in a dropped branch is uncounted when the branch goes, and created again where predicted when its deployment is sent again', async () => {
    const factory = await deployedFactory();
    const { organization, owner } = await tokenOrganization(graph.client);
    // The count settles on what the chain holds (earlier tests' clones).
    const baseline = await creationsOnChain(factory.address);
    await until('earlier creations indexed', chainView, (chain) => chain.factory?.tokensCreated === baseline);
    const draft = await createToken(owner.client, { orgId: organization.id, chainId, symbol: 'DRP' });
    const predicted = (await readToken(owner.client, draft.id)).predictedAddress;
    await evm.fund(draft.deployerAddress, '5');

    const snapshot = await evm.snapshot();
    await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: draft.id });
    // Mined at once, but with no block on top the deployment is not confirmed: the token
    // stays DEPLOYING while the indexer reads the creation.
    await until('the creation indexed', chainView, (chain) => chain.factory?.tokensCreated === baseline + 1);
    expect(await provider.getCode(predicted)).toBe(minimalProxyCode(factory.implementationAddress));
    expect((await readToken(owner.client, draft.id)).status).toBe('DEPLOYING');

    await evm.revert(snapshot);
    expect(await provider.getCode(predicted)).toBe('0x');
    await until('the dropped creation uncounted', chainView, (chain) => chain.factory?.tokensCreated === baseline);
    expect((await db.query('SELECT count(*)::int AS n FROM tokens.factory_token_creations WHERE token_address = $1', [predicted])).rows[0].n).toBe(0);

    // Its job sends the same transaction again when it is not confirmed in time: the clone
    // comes back at the same address.
    const deployed = await tokenWhen(owner.client, draft.id, (token) => token.status !== 'DEPLOYING', { fields: tokenFields, timeoutMs: 45_000, ...mining });
    expect(deployed).toMatchObject({ status: 'DEPLOYED', contractAddress: predicted, deploymentMethod: 'FACTORY' });
    expect(await provider.getCode(predicted)).toBe(minimalProxyCode(factory.implementationAddress));
    expect(getAddress((await new Contract(predicted, nexusTokenImplementationAbi, provider).getFunction('owner')()) as string)).toBe(draft.deployerAddress);
    await until('the creation counted again', chainView, (chain) => chain.factory?.tokensCreated === baseline + 1);
  }, 120_000);
});
