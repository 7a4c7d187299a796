/**
 * `pnpm bench:token-backfill`: how fast `importToken` back-fills a token's history, as a
 * user sees it. A local chain (anvil, a process of its own) gets a NexusToken deployed by
 * hand, not by the platform, with BENCH_TRANSFERS Transfer events (its initial mint, a
 * share sent to each of 9 holders, then transfers among the 10 wallets) spread over
 * BENCH_BLOCKS blocks (empty blocks mined in between with anvil_mine). Then, per setup, a
 * graph of its own, started as `pnpm start` starts it (its own process,
 * NODE_ENV=production, LOG_LEVEL=info, the indexer's default round of 2 s) on Postgres 15
 * and Redis started for the run, on a database of its own:
 *
 * - `direct`: the chain registered with anvil's own URL, which serves any log range;
 * - `relay`: the chain registered behind a JSON-RPC relay (in this process) that refuses
 *   an eth_getLogs of more than BENCH_RELAY_RANGE blocks with "block range is too large",
 *   as hosted providers do: the indexer has to learn the limit.
 *
 * Through the API, a SYSTEM_ADMIN registers the chain and an owner imports the token from
 * block 0; the clock runs from sending importToken until `Token.indexedBlock` has reached
 * the chain's head (polled every 100 ms) and every balance the API lists equals
 * `balanceOf` on chain. Figures: blocks/s and transfers/s over that time, its total, the
 * mutation's own time, and (relay) how many eth_getLogs were served and refused. The run
 * fails when balances differ, or the transactions the API lists are not one per event.
 *
 * Making the chain takes most of the run: anvil mines each block more slowly as its chain
 * grows (some 6 minutes for the default 20 000 blocks on 2 busy cores), once per run.
 *
 * Tune with:
 *
 * - BENCH_SETUPS: which setups, comma-separated (default direct,relay)
 * - BENCH_TRANSFERS: Transfer events of the token (default 2000)
 * - BENCH_BLOCKS: blocks from the token's deployment to the head (default 20000)
 * - BENCH_RELAY_RANGE: the most blocks the relay serves per eth_getLogs (default 500)
 * - BENCH_KEEP_LOGS=1: keep the graphs' logs (they are kept anyway when a run fails)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnv, positiveInt } from '@token-nexus/shared';
import { startEvmNode, type EvmNode } from '@token-nexus/test/testkit/evm-node';
import { deployHandMadeToken, type HandMadeToken } from '@token-nexus/test/testkit/hand-made-token';
import { startLogRangeRelay, type LogRangeRelay } from '@token-nexus/test/testkit/log-range-relay';
import { startBenchServers, type BenchServers } from './kit/bench-servers.ts';
import { currentCheckout, grantSystemAdmin } from './kit/checkout.ts';
import { GraphQLClient } from './kit/client.ts';
import { sleep } from './kit/concurrency.ts';
import { createScratchDatabase } from './kit/database.ts';
import { productionEnv, runSecrets, startProductionGraph } from './kit/production-graph.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';
import { createOrganization, signUp, type SeededUser } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';

const setupNames = ['direct', 'relay'] as const;
type SetupName = (typeof setupNames)[number];

/** Holders besides the owner: 10 wallets in all. */
const holders = 9;
/** The back-fill must be over within this long of the import. */
const backfillTimeoutMs = 600_000;
const pollIntervalMs = 100;

interface Settings {
  setups: SetupName[];
  transfers: number;
  blocks: number;
  relayRange: number;
  keepLogs: boolean;
}

/** The chain's token, as the run made it. */
interface Chain {
  node: EvmNode;
  token: HandMadeToken;
  head: number;
  transfers: number;
}

interface SetupResult {
  setup: SetupName;
  label: string;
  /** Blocks from 0 to the head: what the back-fill reads. */
  blocks: number;
  transfers: number;
  /** From sending importToken until indexedBlock ≥ head and the balances matched. */
  seconds: number;
  /** importToken's own answer time. */
  mutationMs: number;
  /** Of the relay: eth_getLogs served and refused (null directly: nothing counts them). */
  served: number | null;
  refused: number | null;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const interrupt = new AbortController();
  // `on`, not `once`: under pnpm the same Ctrl-C can come twice (see audit-export.ts).
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  const runDir = await mkdtemp(join(tmpdir(), 'tnx-bench-token-backfill-'));
  let keepRunDir = settings.keepLogs;
  let servers: BenchServers | undefined;
  let chain: Chain | undefined;
  try {
    chain = await prepareChain(settings);
    interrupt.signal.throwIfAborted();
    progress('starting Postgres 15, redis-server and an SMTP sink…');
    servers = await startBenchServers();
    const results: SetupResult[] = [];
    for (const setup of settings.setups) {
      interrupt.signal.throwIfAborted();
      results.push(await measureSetup(setup, { settings, servers, chain, runDir, signal: interrupt.signal }));
    }
    console.log(report(results, settings, chain));
  } catch (error) {
    keepRunDir = true;
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    chain?.token.close();
    await chain?.node.close();
    await servers?.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_TRANSFERS: positiveInt(2_000),
    BENCH_BLOCKS: positiveInt(20_000),
    BENCH_RELAY_RANGE: positiveInt(500),
  }));
  const setups = (process.env.BENCH_SETUPS ?? setupNames.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (setups.length === 0 || !setups.every((name) => (setupNames as readonly string[]).includes(name))) {
    throw new ConfigError([{ variable: 'BENCH_SETUPS', message: `must name some of ${setupNames.join(', ')}` }]);
  }
  // The mint and the holders' shares are Transfer events too: the trades are the rest.
  if (vars.BENCH_TRANSFERS < holders + 2) {
    throw new ConfigError([{ variable: 'BENCH_TRANSFERS', message: `must be at least ${holders + 2}` }]);
  }
  if (vars.BENCH_BLOCKS < vars.BENCH_TRANSFERS + 1) {
    throw new ConfigError([{ variable: 'BENCH_BLOCKS', message: 'must be more than BENCH_TRANSFERS (each transaction has a block of its own)' }]);
  }
  return {
    setups: setups as SetupName[],
    transfers: vars.BENCH_TRANSFERS,
    blocks: vars.BENCH_BLOCKS,
    relayRange: vars.BENCH_RELAY_RANGE,
    keepLogs: process.env.BENCH_KEEP_LOGS === '1',
  };
}

/** Anvil, the token and its history: `transfers` events over `blocks` blocks. */
async function prepareChain(settings: Settings): Promise<Chain> {
  progress('starting anvil…');
  const node = await startEvmNode({ chainId: 31337 });
  try {
    const token = await deployHandMadeToken(node.rpcUrl, {
      deployerKey: node.funder.privateKey,
      name: 'Backfill Bench Token',
      symbol: 'BFB',
      decimals: 18,
      initialTokens: 1_000_000,
      holders,
      seed: 20,
    });
    // The mint and one share per holder so far, each in a block of its own (the holders'
    // ether transfers take blocks too).
    const trades = settings.transfers - 1 - holders;
    const emptyPerTrade = (settings.blocks - settings.transfers - holders - 1) / trades;
    progress(`sending ${trades} transfers with some ${Math.round(emptyPerTrade)} empty blocks after each…`);
    await token.trade(trades, { mintsAndBurns: false, emptyBlocks: (random) => Math.floor(random() * 2 * emptyPerTrade) });
    // The rest of the blocks, so that the history is as long as asked.
    await token.mine(Math.max(0, settings.blocks - 1 - (await token.head())));
    const head = await token.head();
    const transfers = (await token.transfers(head)).length;
    if (transfers !== settings.transfers) throw new Error(`the token has ${transfers} Transfer events, not ${settings.transfers}`);
    return { node, token, head, transfers };
  } catch (error) {
    await node.close();
    throw error;
  }
}

interface SetupContext {
  settings: Settings;
  servers: BenchServers;
  chain: Chain;
  runDir: string;
  signal: AbortSignal;
}

/** Starts the setup's graph on a database of its own, imports the token through it, waits for the back-fill, stops it. */
async function measureSetup(setup: SetupName, context: SetupContext): Promise<SetupResult> {
  const { settings, servers, chain, runDir, signal } = context;
  const label = setup === 'direct' ? 'direct (anvil, any range)' : `relay (≤ ${settings.relayRange} blocks per eth_getLogs)`;
  const relay: LogRangeRelay | null = setup === 'relay' ? await startLogRangeRelay(chain.node.rpcUrl, { maxRange: settings.relayRange }) : null;
  const database = await createScratchDatabase(servers.postgresAdminUrl);
  try {
    const env = productionEnv({
      databaseUrl: database.url,
      redisUrl: servers.redisUrl,
      smtpUrl: servers.smtpUrl,
      keyPrefix: `tnx-bench-token-backfill-${randomBytes(4).toString('hex')}:`,
      secrets: runSecrets(),
      cache: 'off',
    });
    progress(`${label}: starting the graph…`);
    const graph = await startProductionGraph(currentCheckout, env, { name: `token-backfill-${setup}`, runDir, cpuProfile: false });
    try {
      const gateway = new GraphQLClient(graph.url);
      const operator = await signUp(gateway, 'operator', 'Otto Operator');
      await grantSystemAdmin(currentCheckout, database.url, operator.email);
      await operator.client.data(`mutation ($input: CreateChainInput!) { createChain(input: $input) { chainId } }`, {
        input: { chainId: chain.node.chainId, name: 'Local anvil', rpcUrl: relay?.url ?? chain.node.rpcUrl },
      });
      const owner = await signUp(gateway, 'owner', 'Olive Owner');
      const organization = await createOrganization(owner, 'Imported tokens', 'imported-tokens');
      signal.throwIfAborted();

      progress(`${label}: importing the token and waiting for its back-fill…`);
      const startedAt = performance.now();
      const { importToken } = await owner.client.data<{ importToken: { id: string } }>(
        `mutation ($orgId: ID!, $chainId: ID!, $address: String!) { importToken(orgId: $orgId, chainId: $chainId, address: $address, fromBlock: 0) { id } }`,
        { orgId: organization.id, chainId: String(chain.node.chainId), address: chain.token.address },
      );
      const mutationMs = performance.now() - startedAt;
      await backfilled(owner, importToken.id, chain, signal);
      const seconds = (performance.now() - startedAt) / 1000;
      await expectTransactionsMatch(owner, importToken.id, chain);
      return {
        setup,
        label,
        blocks: chain.head + 1,
        transfers: chain.transfers,
        seconds,
        mutationMs,
        served: relay ? relay.logRequests.filter((request) => !request.refused).length : null,
        refused: relay ? relay.logRequests.filter((request) => request.refused).length : null,
      };
    } finally {
      await graph.stop();
    }
  } finally {
    await relay?.close();
    await database.drop();
  }
}

/** Polls until `indexedBlock` reaches the head, then requires every balance to be the chain's. */
async function backfilled(owner: SeededUser, tokenId: string, chain: Chain, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + backfillTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const { token } = await owner.client.data<{ token: { indexedBlock: number | null } }>(
      `query ($id: ID!) { token(id: $id) { indexedBlock } }`,
      { id: tokenId },
    );
    if ((token.indexedBlock ?? -1) >= chain.head) break;
    if (Date.now() > deadline) throw new Error(`after ${backfillTimeoutMs / 1000} s the back-fill was at block ${token.indexedBlock} of ${chain.head}`);
    await sleep(pollIntervalMs);
  }
  const balances = await allPages<{ holder: string; balance: string }>(owner, tokenId, 'balances', 'holder balance');
  const listed = new Map(balances.map(({ holder, balance }) => [holder, balance]));
  for (const holder of new Set([...chain.token.wallets, ...listed.keys()])) {
    const onChain = (await chain.token.balanceOf(holder)).toString();
    if ((listed.get(holder) ?? '0') !== onChain) {
      throw new Error(`${holder}: the API says ${listed.get(holder) ?? 'nothing'}, balanceOf says ${onChain}`);
    }
  }
}

/** One transaction per Transfer event: the back-fill lost or doubled none. */
async function expectTransactionsMatch(owner: SeededUser, tokenId: string, chain: Chain): Promise<void> {
  const transactions = await allPages<{ txHash: string }>(owner, tokenId, 'transactions', 'txHash');
  if (transactions.length !== chain.transfers) {
    throw new Error(`the API lists ${transactions.length} transactions of the token; the chain has ${chain.transfers} Transfer events`);
  }
}

async function allPages<T>(owner: SeededUser, tokenId: string, field: 'balances' | 'transactions', fields: string): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | null = null; ; ) {
    const data: { token: Record<string, { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> } =
      await owner.client.data(
        `query ($id: ID!, $after: String) { token(id: $id) { ${field}(first: 100, after: $after) { edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } } }`,
        { id: tokenId, after },
      );
    const page = data.token[field]!;
    rows.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

function report(results: SetupResult[], settings: Settings, chain: Chain): string {
  const rows = results.map((result) => [
    result.label,
    result.blocks.toLocaleString('en-US'),
    result.transfers.toLocaleString('en-US'),
    fixed(result.seconds, 2),
    Math.round(result.blocks / result.seconds).toLocaleString('en-US'),
    fixed(result.transfers / result.seconds, 1),
    `${Math.round(result.mutationMs)} ms`,
    result.served === null ? '–' : `${result.served} / ${result.refused}`,
  ]);
  return [
    `Back-fill of an imported token from block 0: ${chain.transfers.toLocaleString('en-US')} Transfer events over ${(chain.head + 1).toLocaleString('en-US')} blocks ` +
      `(anvil; the graph as \`pnpm start\` runs it, NODE_ENV=production, indexer rounds every 2 s)\n`,
    formatTable(
      [
        { title: 'setup' },
        { title: 'blocks', align: 'right' },
        { title: 'transfers', align: 'right' },
        { title: 'seconds', align: 'right' },
        { title: 'blocks/s', align: 'right' },
        { title: 'transfers/s', align: 'right' },
        { title: 'importToken', align: 'right' },
        { title: 'getLogs served / refused', align: 'right' },
      ],
      rows,
    ),
    `\nseconds: from sending importToken until indexedBlock ≥ head (polled every ${pollIntervalMs} ms) and every balance equals balanceOf; ` +
      `the relay refuses eth_getLogs of more than ${settings.relayRange} blocks.`,
  ].join('\n');
}

runBenchmark(main);
