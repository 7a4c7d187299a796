import { JsonRpcProvider, Wallet, concat, dataLength, getAddress, toBeHex, toUtf8Bytes, zeroPadBytes, zeroPadValue } from 'ethers';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphQLClient } from '../testkit/client.ts';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';
import type { TestGraph } from '../testkit/graph.ts';
import { deployHandMadeToken, type HandMadeToken } from '../testkit/hand-made-token.ts';
import { startLogRangeRelay, type LogRangeRefusal, type LogRangeRelay } from '../testkit/log-range-relay.ts';
import { addChain, startTokenWorld, tokenOrganization, tokenWhen, type TokenWorld } from '../testkit/tokens-seed.ts';

/** Chains of this file only (chains are keyed by id in the database). */
const chainId = 31_337_600;
/** A second local chain, registered behind a relay that serves at most `relayMaxRange` blocks per eth_getLogs. */
const relayedChainId = 31_337_601;
/** A chain whose RPC URL refuses every connection. */
const deadChainId = 31_337_602;
/** A third local chain, behind a relay that serves any range and counts what it serves. */
const denseChainId = 31_337_603;
const relayMaxRange = 50;

/** Quick indexer rounds, so a back-fill of a few thousand blocks takes seconds. */
const tokensEnv = { TOKENS_INDEXER_INTERVAL_MS: '100', TOKENS_RPC_TIMEOUT_MS: '2000' };

let world: TokenWorld;
let evm: EvmNode;
let graph: TestGraph;
let db: pg.Client;
let relayedEvm: EvmNode;
let relay: LogRangeRelay;
let denseEvm: EvmNode;
let countingRelay: LogRangeRelay;
const handMade: HandMadeToken[] = [];
beforeAll(async () => {
  world = await startTokenWorld({ chainId, env: tokensEnv });
  ({ evm, graph, db } = world);
  relayedEvm = await startEvmNode({ chainId: relayedChainId });
  relay = await startLogRangeRelay(relayedEvm.rpcUrl, { maxRange: relayMaxRange });
  await addChain(world.admin, { chainId: relayedChainId, rpcUrl: relay.url });
  await addChain(world.admin, { chainId: deadChainId, rpcUrl: 'http://127.0.0.1:9/' });
  denseEvm = await startEvmNode({ chainId: denseChainId });
  countingRelay = await startLogRangeRelay(denseEvm.rpcUrl, { maxRange: Number.MAX_SAFE_INTEGER });
  await addChain(world.admin, { chainId: denseChainId, rpcUrl: countingRelay.url });
});
afterAll(async () => {
  for (const token of handMade) token.close();
  await world?.close();
  await relay?.close();
  await relayedEvm?.close();
  await countingRelay?.close();
  await denseEvm?.close();
});

async function handMadeToken(node: EvmNode, options: { name: string; symbol: string; decimals: number; holders: number; seed: number }) {
  const token = await deployHandMadeToken(node.rpcUrl, { deployerKey: node.funder.privateKey, initialTokens: 1_000_000, ...options });
  handMade.push(token);
  return token;
}

const importedFields = `id name symbol decimals initialSupply status deploymentMethod readOnly contractAddress predictedAddress
  indexedBlock chain { chainId }`;
const importMutation = `mutation ($orgId: ID!, $chainId: ID!, $address: String!, $fromBlock: Int) {
  importToken(orgId: $orgId, chainId: $chainId, address: $address, fromBlock: $fromBlock) { ${importedFields} }
}`;

const zeroAddress = '0x0000000000000000000000000000000000000000';

/** Every page of a connection of the token, through the API. */
async function allPages(client: GraphQLClient, tokenId: string, field: 'balances' | 'transactions', node: string): Promise<any[]> {
  const rows: any[] = [];
  for (let after: string | null = null; ; ) {
    const data: any = await client.data(
      `query ($id: ID!, $after: String) { token(id: $id) { ${field}(first: 100, after: $after) { edges { node { ${node} } } pageInfo { hasNextPage endCursor } } } }`,
      { id: tokenId, after },
    );
    const page = data.token[field];
    rows.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Waits until the token's `indexedBlock` reaches the chain's head, then checks that what
 * the API shows is the chain's: each holder's balance is its `balanceOf` (and nobody the
 * API lists holds anything else), and the transactions are the Transfer events, one for
 * one. Those are read once, not polled: the indexer writes a range's events, balances and
 * position in one transaction, so a position at the head means everything up to it is in.
 */
async function expectFollowsChain(client: GraphQLClient, tokenId: string, token: HandMadeToken): Promise<void> {
  const head = await token.head();
  await tokenWhen(client, tokenId, (row) => row.indexedBlock >= head, { fields: 'indexedBlock', timeoutMs: 60_000 });

  const api = Object.fromEntries((await allPages(client, tokenId, 'balances', 'holder balance')).map((row) => [row.holder, row.balance]));
  const chain: Record<string, string> = {};
  for (const holder of new Set([...token.wallets, ...Object.keys(api)])) {
    const balance = await token.balanceOf(holder);
    if (balance !== 0n || api[holder] !== undefined) chain[holder] = balance.toString();
  }
  expect(api).toEqual(chain);
  expect(Object.keys(api).length).toBeGreaterThan(1);

  const line = (kind: string, from: string | null, to: string | null, amount: string, txHash: string, blockNumber: number) =>
    `${blockNumber} ${txHash} ${kind} ${from ?? '-'} → ${to ?? '-'} ${amount}`;
  const events = (await token.transfers(head)).map((event) => {
    const kind = event.from === zeroAddress ? 'MINT' : event.to === zeroAddress ? 'BURN' : 'TRANSFER';
    return line(kind, kind === 'MINT' ? null : event.from, kind === 'BURN' ? null : event.to, event.value.toString(), event.transactionHash, event.blockNumber);
  });
  const transactions = await allPages(client, tokenId, 'transactions', 'kind from to amount txHash blockNumber requestedBy { id }');
  expect(transactions.length).toBe(events.length);
  expect(transactions.map((row) => line(row.kind, row.from, row.to, row.amount, row.txHash, row.blockNumber)).sort()).toEqual([...events].sort());
  // Seen on chain, not sent by anyone here.
  expect(transactions.every((row) => row.requestedBy === null)).toBe(true);
  // Final with the chain's one confirmation: the indexer marks them so at the end of the
  // round that recorded them, a moment after the position it wrote.
  for (const started = Date.now(); ; ) {
    const statuses = new Set((await allPages(client, tokenId, 'transactions', 'status')).map((row) => row.status));
    if (statuses.size === 1 && statuses.has('CONFIRMED')) break;
    if (Date.now() - started > 10_000) throw new Error(`transactions still ${[...statuses].join(', ')} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('importing a token deployed elsewhere', () => {
  test('it is read-only with the chain’s name, symbol, decimals and supply; its history from fromBlock is back-filled to the head, then followed', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await handMadeToken(evm, { name: 'Hand Made Dollar', symbol: 'HMD', decimals: 6, holders: 5, seed: 600 });
    // Some 40 mints, transfers and burns among 6 wallets, with some 300 empty blocks among them.
    await token.trade(40, { emptyBlocks: (random) => Math.floor(random() * 16) });
    expect((await token.head()) - token.deployBlock).toBeGreaterThan(300);
    const totalSupply = await token.totalSupply();
    // Mints and burns moved it: the import reads today's supply, not the deployment's.
    expect(totalSupply).not.toBe(1_000_000n * 10n ** 6n);

    const { importToken: imported } = await owner.client.data(importMutation, {
      orgId: organization.id,
      chainId: String(chainId),
      // Lower-case is an address too; it is kept checksummed.
      address: token.address.toLowerCase(),
      fromBlock: token.deployBlock,
    });
    expect(imported).toEqual({
      id: expect.any(String),
      name: 'Hand Made Dollar',
      symbol: 'HMD',
      decimals: 6,
      initialSupply: totalSupply.toString(),
      status: 'DEPLOYED',
      deploymentMethod: 'IMPORTED',
      readOnly: true,
      contractAddress: token.address,
      predictedAddress: null,
      indexedBlock: token.deployBlock - 1,
      chain: { chainId },
    });
    await expectFollowsChain(owner.client, imported.id, token);

    // Back-filled: what happens on chain from now on is followed like any token's.
    await token.trade(15, { emptyBlocks: (random) => Math.floor(random() * 4) });
    await expectFollowsChain(owner.client, imported.id, token);
  }, 120_000);

  test('against a node that refuses wide log ranges, the back-fill halves its ranges until the node serves them, and completes', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await handMadeToken(relayedEvm, { name: 'Relayed Credit', symbol: 'RLC', decimals: 18, holders: 5, seed: 601 });
    // Some 1500 blocks of history: 30 and more ranges the relay serves.
    await token.trade(20, { emptyBlocks: (random) => Math.floor(random() * 150) });
    const head = await token.head();
    expect(head - token.deployBlock).toBeGreaterThan(30 * relayMaxRange);

    const { importToken: imported } = await owner.client.data(importMutation, {
      orgId: organization.id,
      chainId: String(relayedChainId),
      address: token.address,
      fromBlock: token.deployBlock,
    });
    await expectFollowsChain(owner.client, imported.id, token);

    const requests = relay.logRequests.filter((request) => request.address === token.address.toLowerCase());
    const answered = requests.filter((request) => !request.refused);
    // It asked wide first (what an unlimited node serves), and was refused.
    expect(requests[0]).toMatchObject({ fromBlock: token.deployBlock, refused: true });
    // Each refusal was followed by the same start with at most half the blocks.
    requests.forEach((request, index) => {
      if (!request.refused) return;
      const next = requests[index + 1]!;
      expect(next.fromBlock).toBe(request.fromBlock);
      expect(next.blocks).toBeLessThanOrEqual(Math.ceil(request.blocks / 2));
    });
    // The ranges served cover the history once, in order, without a gap.
    expect(answered[0]!.fromBlock).toBe(token.deployBlock);
    answered.slice(1).forEach((request, index) => expect(request.fromBlock).toBe(answered[index]!.toBlock + 1));
    expect(answered.at(-1)!.toBlock).toBeGreaterThanOrEqual(head);
    // Once served, it kept to what the node serves: only a rare try of a wider range
    // (should the limit have been lifted) is refused, not every other request.
    const firstAnswer = requests.indexOf(answered[0]!);
    const refusedLater = requests.slice(firstAnswer).filter((request) => request.refused).length;
    expect(answered.length).toBeGreaterThanOrEqual(30);
    expect(refusedLater).toBeLessThanOrEqual(answered.length / 10);
  }, 120_000);

  test('a refusal is recognised however the provider words it, in the message or in its data', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await handMadeToken(relayedEvm, { name: 'Worded Credit', symbol: 'WRD', decimals: 18, holders: 3, seed: 604 });
    // What providers answer (their codes and words; the limits here are the relay's own).
    // Each limit is below half the one before, so that what the indexer learnt before is
    // refused again, in the new words. QuickNode and Alchemy send theirs with HTTP 413 and
    // 400: a JSON-RPC error in a 4xx body is still the node's answer about the call.
    const wordings: { provider: string; maxRange: number; refusal: LogRangeRefusal }[] = [
      { provider: 'Infura', maxRange: 40, refusal: { error: { code: -32602, message: 'range 2000 exceeds limit of 40' } } },
      {
        provider: 'Tenderly',
        maxRange: 15,
        refusal: { error: { code: -32602, message: 'invalid params', data: { error_id: '4ed94073', payload: 'range 40 is bigger than range limit 15' } } },
      },
      { provider: 'QuickNode', maxRange: 6, refusal: { httpStatus: 413, error: { code: -32614, message: 'eth_getLogs is limited to a 6 range' } } },
      {
        provider: 'Alchemy',
        maxRange: 2,
        refusal: {
          httpStatus: 400,
          error: { code: -32600, message: 'You can make eth_getLogs requests with up to a 2 block range. Based on your parameters, this block range should work: [0x1, 0x2]' },
        },
      },
    ];
    let imported: { id: string } | undefined;
    try {
      for (const { provider, maxRange, refusal } of wordings) {
        relay.limit(maxRange, refusal);
        const since = relay.logRequests.length;
        await token.trade(4, { emptyBlocks: (random) => 25 + Math.floor(random() * 10) });
        imported ??= (
          await owner.client.data(importMutation, { orgId: organization.id, chainId: String(relayedChainId), address: token.address, fromBlock: token.deployBlock })
        ).importToken;
        await expectFollowsChain(owner.client, imported!.id, token);
        const requests = relay.logRequests.slice(since);
        expect(requests.some((request) => request.refused), provider).toBe(true);
        expect(Math.max(...requests.filter((request) => !request.refused).map((request) => request.blocks)), provider).toBeLessThanOrEqual(maxRange);
      }
    } finally {
      relay.limit(relayMaxRange);
    }
  }, 120_000);

  test('blocks dense with transfers are read in parts small enough to record at once, and the back-fill completes', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await handMadeToken(denseEvm, { name: 'Busy Token', symbol: 'BSY', decimals: 18, holders: 5, seed: 606 });
    await token.trade(5, { emptyBlocks: (random) => Math.floor(random() * 20) });
    // A thousand transfers in a few blocks, as a popular token has in a minute.
    await token.burst(1_000);
    await token.mine(10);
    const { importToken: imported } = await owner.client.data(importMutation, {
      orgId: organization.id,
      chainId: String(denseChainId),
      address: token.address,
      fromBlock: token.deployBlock,
    });
    await expectFollowsChain(owner.client, imported.id, token);

    const answered = countingRelay.logRequests.filter((request) => request.address === token.address.toLowerCase());
    // The node served the whole history at once: more than one read may record.
    expect(answered[0]!.logs).toBeGreaterThan(1_000);
    // A read of more than a few hundred logs over several blocks was asked again, from the
    // same block, for at most half the blocks; one over a single block was kept whole.
    answered.forEach((request, index) => {
      if (request.logs! <= 500 || request.blocks === 1) return;
      const next = answered[index + 1];
      expect(next, `${request.fromBlock}–${request.toBlock} (${request.logs} logs) was kept`).toBeDefined();
      expect(next!.fromBlock).toBe(request.fromBlock);
      expect(next!.blocks).toBeLessThanOrEqual(Math.ceil(request.blocks / 2));
    });
  }, 120_000);

  test('what is not an ERC-20 on an enabled, answering chain is refused naming the field at fault, and nothing is written', async () => {
    const { organization, owner, admin, viewer } = await tokenOrganization(graph.client);
    const token = await handMadeToken(evm, { name: 'Plain Token', symbol: 'PLN', decimals: 18, holders: 1, seed: 602 });
    const provider = new JsonRpcProvider(evm.rpcUrl, chainId, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
    const deploy = async (creationCode: string) => {
      const receipt = await (await new Wallet(evm.funder.privateKey, provider).sendTransaction({ data: creationCode })).wait();
      const address = getAddress(receipt!.contractAddress!);
      expect(await provider.getCode(address)).not.toBe('0x');
      return address;
    };
    // Runtime code `REVERT(0, 0)`: every call reverts.
    const reverting = await deploy('0x6005600c60003960056000f360006000fd');
    // The word 42 to every call: fine as a number, not as a string.
    const answers42 = await deploy(answeringEveryCall(word(42)));
    // The same bytes to every call, which decode as a string ("Every Answer", at offset 288)
    // and as a number: 288, more than decimals' uint8 holds (its low byte would read 32).
    const decimals288 = await deploy(
      answeringEveryCall(concat([word(288), ...Array.from({ length: 8 }, () => word(0)), word(12), zeroPadBytes(toUtf8Bytes('Every Answer'), 32)])),
    );
    provider.destroy();
    const holder = token.wallets[1]!; // holds ether and tokens, but no code
    // One letter's case flipped: a mixed-case address whose checksum is wrong.
    const letter = token.address.slice(2).search(/[a-f]/i) + 2;
    const flipped = token.address[letter]!;
    const brokenChecksum = `${token.address.slice(0, letter)}${flipped === flipped.toLowerCase() ? flipped.toUpperCase() : flipped.toLowerCase()}${token.address.slice(letter + 1)}`;
    expect(brokenChecksum.toLowerCase()).toBe(token.address.toLowerCase());

    const refusals = [
      { why: 'an address with no code', variables: { address: holder }, code: 'BAD_USER_INPUT', field: 'address', message: /holds no contract/ },
      { why: 'a contract that reverts every call', variables: { address: reverting }, code: 'BAD_USER_INPUT', field: 'address', message: /reverts/ },
      { why: 'a contract whose answers are not ERC-20’s', variables: { address: answers42 }, code: 'BAD_USER_INPUT', field: 'address', message: /not a string/ },
      { why: 'a contract whose decimals() are past a uint8', variables: { address: decimals288 }, code: 'BAD_USER_INPUT', field: 'address', message: /decimals\(\) answers 288/ },
      { why: 'a mixed-case address with a broken checksum', variables: { address: brokenChecksum }, code: 'BAD_USER_INPUT', field: 'address', message: /checksum/ },
      { why: 'a chain nobody registered', variables: { chainId: '999999999' }, code: 'BAD_USER_INPUT', field: 'chainId', message: /999999999/ },
      { why: 'a block before the first', variables: { fromBlock: -1 }, code: 'BAD_USER_INPUT', field: 'fromBlock', message: /at least 0/ },
      { why: 'a block past the head', variables: { fromBlock: 1_000_000_000 }, code: 'BAD_USER_INPUT', field: 'fromBlock', message: /past chain .* head/ },
      { why: 'a chain that does not answer', variables: { chainId: String(deadChainId) }, code: 'UNAVAILABLE', field: undefined, message: /does not answer/ },
    ];
    const tokenRows = async () => (await db.query('SELECT count(*)::int AS n FROM tokens.tokens')).rows[0].n as number;
    const before = await tokenRows();
    for (const { why, variables, code, field, message } of refusals) {
      const response = await owner.client.request(importMutation, {
        orgId: organization.id,
        chainId: String(chainId),
        address: token.address,
        fromBlock: token.deployBlock,
        ...variables,
      });
      expect(response.errors?.[0]?.extensions, why).toMatchObject({ code });
      expect(response.errors?.[0]?.extensions?.field, why).toBe(field);
      expect(response.errors?.[0]?.message, why).toMatch(message);
    }
    expect(await tokenRows()).toBe(before);

    // The same address, right: an ADMIN may import it; then it is there, once per organization.
    const variables = { orgId: organization.id, chainId: String(chainId), address: token.address, fromBlock: token.deployBlock };
    const { importToken: imported } = await admin.client.data(importMutation, variables);
    expect(imported).toMatchObject({ contractAddress: token.address, readOnly: true });
    for (const address of [token.address, token.address.toLowerCase()]) {
      const again = await owner.client.request(importMutation, { ...variables, address });
      expect(again.errors?.[0]?.extensions, address).toMatchObject({ code: 'CONFLICT', tokenId: imported.id });
    }
    expect((await viewer.client.request(importMutation, variables)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await tokenRows()).toBe(before + 1);
    const other = await tokenOrganization(graph.client);
    const { importToken: elsewhere } = await other.owner.client.data(importMutation, { ...variables, orgId: other.organization.id });
    expect(elsewhere.id).not.toBe(imported.id);
    expect(await tokenRows()).toBe(before + 2);
  }, 60_000);

  test('imports of the same token at once make one token; each other one is a CONFLICT naming it', async () => {
    const { organization, owner, admin } = await tokenOrganization(graph.client);
    const token = await handMadeToken(evm, { name: 'Raced Token', symbol: 'RCE', decimals: 18, holders: 1, seed: 605 });
    const variables = { orgId: organization.id, chainId: String(chainId), address: token.address, fromBlock: token.deployBlock };
    // Sent together, so that they all pass the check for an existing token before any is created.
    const responses = await Promise.all([owner, admin, owner, admin, owner, admin].map((user) => user.client.request(importMutation, variables)));
    const created = responses.filter((response) => !response.errors);
    expect(created.length).toBe(1);
    const tokenId = created[0]!.data!.importToken.id;
    for (const response of responses.filter((response) => response.errors)) {
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', tokenId });
    }
    const rows = await db.query('SELECT id FROM tokens.tokens WHERE organization_id = $1', [organization.id]);
    expect(rows.rows).toEqual([{ id: tokenId }]);
  });

  test('an imported token cannot be minted, transferred, burned, paused or resumed: nothing is queued or recorded', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await handMadeToken(evm, { name: 'Followed Only', symbol: 'FLW', decimals: 18, holders: 1, seed: 603 });
    const { importToken: imported } = await owner.client.data(importMutation, {
      orgId: organization.id,
      chainId: String(chainId),
      address: token.address,
      fromBlock: token.deployBlock,
    });
    const to = token.wallets[1]!;
    const operations = {
      mintTokens: `mutation ($id: ID!, $to: String!) { mintTokens(tokenId: $id, to: $to, amount: "1") { id } }`,
      transferTokens: `mutation ($id: ID!, $to: String!) { transferTokens(tokenId: $id, to: $to, amount: "1") { id } }`,
      burnTokens: `mutation ($id: ID!) { burnTokens(tokenId: $id, amount: "1") { id } }`,
      pauseToken: `mutation ($id: ID!) { pauseToken(id: $id) { id } }`,
      resumeToken: `mutation ($id: ID!) { resumeToken(id: $id) { id } }`,
    };
    // Rows the platform would have sent (the indexer's, seen on chain, come in meanwhile), and jobs.
    const sideEffects = async () => {
      const sent = await db.query('SELECT count(*)::int AS n FROM tokens.token_transactions WHERE token_id = $1 AND requested_by_id IS NOT NULL', [imported.id]);
      const jobs = await db.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE payload->>'tokenId' = $1`, [imported.id]);
      const row = await db.query('SELECT status, control_action FROM tokens.tokens WHERE id = $1', [imported.id]);
      return { sent: sent.rows[0].n, jobs: jobs.rows[0].n, ...row.rows[0] };
    };
    const before = await sideEffects();
    expect(before).toEqual({ sent: 0, jobs: 0, status: 'DEPLOYED', control_action: null });
    for (const [name, mutation] of Object.entries(operations)) {
      const response = await owner.client.request(mutation, mutation.includes('$to') ? { id: imported.id, to } : { id: imported.id });
      expect(response.errors?.[0]?.extensions, name).toMatchObject({ code: 'BAD_USER_INPUT', field: 'readOnly' });
      expect(response.errors?.[0]?.message, name).toMatch(/read-only/);
    }
    expect(await sideEffects()).toEqual(before);
  });
});

/** A 32-byte ABI word holding `value`. */
const word = (value: number) => zeroPadValue(toBeHex(value), 32);

/**
 * Creation code of a contract that answers every call, whatever its selector, with
 * `answer`: its runtime code copies the bytes stored right after it and returns them.
 */
function answeringEveryCall(answer: string): string {
  const push2 = (value: number) => `61${value.toString(16).padStart(4, '0')}`;
  // PUSH2 size, PUSH1 14 (where the bytes start), PUSH1 0, CODECOPY; PUSH2 size, PUSH1 0, RETURN.
  const copyAndReturn = (size: number) => `0x${push2(size)}600e600039${push2(size)}6000f3`;
  const runtime = concat([copyAndReturn(dataLength(answer)), answer]);
  return concat([copyAndReturn(dataLength(runtime)), runtime]);
}
