import type { Chain, Prisma, PrismaClient, Token } from '@token-nexus/prisma';
import type { EventBus, Logger } from '@token-nexus/shared';
import { ChainUnavailableError, type ChainClient, type TransferLog } from '../chain/index.ts';
import type { ChainClients } from '../jobs/chain-clients.ts';
import { publishTokenEvent } from '../providers/token-events.ts';
import { indexFactoryCreations } from './factory-creations.ts';
import { LogRanges } from './log-ranges.ts';

const zeroAddress = '0x0000000000000000000000000000000000000000';
/**
 * Log requests per token per round: a token back-filling a long history reads this many
 * ranges and then lets the others have their turn.
 */
const maxRangesPerRound = 25;

/**
 * Follows every deployed token's Transfer events, from its deployment block, into
 * transactions and balances (equal to balanceOf on chain).
 *
 * Each round, per chain: the hashes of the recent blocks (the chain's confirmations plus
 * a margin) are compared with those stored last round; a block whose hash changed was
 * replaced (a reorganisation), so everything read from it on is undone and read again.
 * Then each token is read on from its last indexed block, in one transaction per token
 * (events, balances and the new position together: a restart resumes exactly there).
 * The window's hashes are read again after the logs; if they moved meanwhile the round's
 * positions are not trusted and the next round starts over. Transactions become
 * CONFIRMED once the chain's confirmations are on top of them.
 */
export function startTokenIndexer(options: {
  prisma: PrismaClient;
  clients: ChainClients;
  events: EventBus;
  logger: Logger;
  intervalMs: number;
}) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const ranges = new LogRanges();

  const round = async () => {
    const tokens = await options.prisma.token.findMany({
      where: { status: { in: ['DEPLOYED', 'PAUSED', 'RETIRED'] }, contractAddress: { not: null }, indexedBlock: { not: null } },
      include: { chain: true },
    });
    // Chains with a factory are followed for its TokenCreated events, tokens or not.
    const factories = await options.prisma.tokenFactory.findMany({ where: { status: 'DEPLOYED' }, include: { chain: true } });
    const byChain = new Map<number, { chain: Chain; tokens: Token[] }>();
    for (const { chain } of factories) byChain.set(chain.chainId, { chain, tokens: [] });
    for (const { chain, ...token } of tokens) {
      const entry = byChain.get(chain.chainId) ?? { chain, tokens: [] };
      entry.tokens.push(token);
      byChain.set(chain.chainId, entry);
    }
    for (const { chain, tokens: onChain } of byChain.values()) {
      if (stopped) return;
      try {
        await indexChain({ ...options, ranges }, chain, onChain);
      } catch (error) {
        // A chain with no endpoint answering is the scanner's news (Chain.status), not a
        // warning with a stack every round for as long as the outage lasts.
        if (error instanceof ChainUnavailableError) options.logger.debug({ chainId: chain.chainId, reason: error.message }, 'chain unavailable; indexing it next round');
        else options.logger.warn({ err: error, chainId: chain.chainId }, 'indexing a chain failed; retrying next round');
      }
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round()
        .catch((error: unknown) => options.logger.error({ err: error }, 'indexer round failed'))
        .finally(schedule);
    }, options.intervalMs);
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function windowHashes(client: ChainClient, head: number, size: number): Promise<Map<number, string>> {
  const numbers = Array.from({ length: Math.min(size, head + 1) }, (_, index) => head - index);
  const hashes = await Promise.all(numbers.map((number) => client.blockHash(number)));
  return new Map(numbers.flatMap((number, index) => (hashes[index] ? [[number, hashes[index]!] as const] : [])));
}

async function indexChain(
  deps: { prisma: PrismaClient; clients: ChainClients; events: EventBus; ranges: LogRanges },
  chain: Chain,
  tokens: Token[],
): Promise<void> {
  const { prisma } = deps;
  const client = deps.clients.for(chain);
  const head = await client.headNumber();
  const window = Math.min(chain.confirmations + 6, 64);
  const before = await windowHashes(client, head, window);

  // 1. A replaced block: undo everything read from it on.
  const stored = await prisma.indexedBlock.findMany({ where: { chainId: chain.chainId }, orderBy: { number: 'asc' } });
  let fork: number | null = null;
  for (const block of stored) {
    const now = before.get(block.number) ?? (block.number > head ? null : await client.blockHash(block.number));
    if (now !== block.hash) {
      fork = block.number;
      break;
    }
  }
  if (fork !== null) await rewind(prisma, chain.chainId, fork, head);

  // The window moved while reading: trust nothing of this round, start over next time.
  const windowHeld = async (to: number) => !before.has(to) || (await client.blockHash(to)) === before.get(to);

  // 2. The factory's creations, then each token, on from where it stopped.
  if (!(await indexFactoryCreations(prisma, client, deps.ranges, chain.chainId, head, windowHeld))) return;
  const positions = fork === null ? tokens : await prisma.token.findMany({ where: { id: { in: tokens.map((token) => token.id) } } });
  const touched: { token: Token; transactionIds: string[] }[] = [];
  for (const token of positions) {
    let from = token.indexedBlock! + 1;
    for (let reads = 0; from <= head && reads < maxRangesPerRound; reads += 1) {
      const read = await deps.ranges.read(chain.chainId, from, head, (to) => client.transferLogs(token.contractAddress!, from, to));
      if (!(await windowHeld(read.to))) return;
      const transactionIds = await applyLogs(prisma, token, read.logs, read.to);
      if (transactionIds.length > 0) touched.push({ token, transactionIds });
      from = read.to + 1;
    }
  }

  // 3. Remember the window, so the next round can tell a replaced block.
  await prisma.$transaction([
    prisma.indexedBlock.deleteMany({ where: { chainId: chain.chainId, OR: [{ number: { lte: head - window } }, { number: { in: [...before.keys()] } }] } }),
    prisma.indexedBlock.createMany({ data: [...before].map(([number, hash]) => ({ chainId: chain.chainId, number, hash })) }),
  ]);

  // 4. Final once the confirmations are on top.
  await prisma.tokenTransaction.updateMany({
    where: {
      tokenId: { in: tokens.map((token) => token.id) },
      status: 'PENDING',
      blockNumber: { not: null, lte: head - chain.confirmations + 1 },
      logIndex: { not: null },
    },
    data: { status: 'CONFIRMED' },
  });
  for (const { token, transactionIds } of touched) {
    for (const transactionId of transactionIds.slice(-20)) {
      await publishTokenEvent(deps.events, token.organizationId, { tokenId: token.id, transactionId });
    }
  }
}

/**
 * Records a token's Transfer events of blocks up to `to`, its balances and its new
 * position, at once: a constant number of statements per range (one read of what is
 * known, one insert of what is new, one update per transaction the platform sent itself,
 * one upsert of every balance), so that a back-fill's dense ranges fit in the transaction.
 */
async function applyLogs(prisma: PrismaClient, token: Token, logs: TransferLog[], to: number): Promise<string[]> {
  return prisma.$transaction(
    async (tx) => {
      const hashes = [...new Set(logs.map((log) => log.transactionHash))];
      const known = hashes.length === 0 ? [] : await tx.tokenTransaction.findMany({
        where: { tokenId: token.id, txHash: { in: hashes } },
        select: { id: true, txHash: true, logIndex: true, kind: true },
        orderBy: { createdAt: 'asc' },
      });
      // Read already (a round that did not finish its position): skipped.
      const located = new Set(known.filter((row) => row.logIndex !== null).map((row) => `${row.txHash}:${row.logIndex}`));
      // Sent by the platform and not yet seen on chain: each is one of these events.
      const sent = new Map<string, string[]>();
      for (const row of known.filter((candidate) => candidate.logIndex === null)) {
        const key = `${row.txHash}:${row.kind}`;
        sent.set(key, [...(sent.get(key) ?? []), row.id]);
      }
      const fresh: Prisma.TokenTransactionCreateManyInput[] = [];
      const found: { id: string; log: TransferLog }[] = [];
      const deltas = new Map<string, bigint>();
      const add = (holder: string, value: bigint) => {
        if (holder !== zeroAddress) deltas.set(holder, (deltas.get(holder) ?? 0n) + value);
      };
      for (const log of logs) {
        if (located.has(`${log.transactionHash}:${log.logIndex}`)) continue;
        const kind = log.from === zeroAddress ? 'MINT' : log.to === zeroAddress ? 'BURN' : 'TRANSFER';
        const ours = sent.get(`${log.transactionHash}:${kind}`)?.shift();
        if (ours) found.push({ id: ours, log });
        else {
          fresh.push({
            tokenId: token.id,
            kind,
            fromAddress: kind === 'MINT' ? null : log.from,
            toAddress: kind === 'BURN' ? null : log.to,
            amount: log.value.toString(),
            txHash: log.transactionHash,
            logIndex: log.logIndex,
            blockNumber: log.blockNumber,
            blockHash: log.blockHash,
          });
        }
        add(log.to, log.value);
        add(log.from, -log.value);
      }
      for (const { id, log } of found) {
        await tx.tokenTransaction.update({ where: { id }, data: { logIndex: log.logIndex, blockNumber: log.blockNumber, blockHash: log.blockHash } });
      }
      const created = fresh.length === 0 ? [] : await tx.tokenTransaction.createManyAndReturn({ data: fresh, select: { id: true } });
      if (deltas.size > 0) {
        await tx.$executeRaw`
          INSERT INTO tokens.token_balances (token_id, holder, balance, updated_at)
          SELECT ${token.id}::uuid, holder, delta, now()
          FROM unnest(${[...deltas.keys()]}::text[], ${[...deltas.values()].map(String)}::numeric[]) AS moves(holder, delta)
          ON CONFLICT (token_id, holder) DO UPDATE
            SET balance = token_balances.balance + EXCLUDED.balance, updated_at = now()`;
      }
      // Bookkeeping, not a change of the token: its updatedAt (and cached answers) stay.
      await tx.$executeRaw`UPDATE tokens.tokens SET indexed_block = ${to} WHERE id = ${token.id}::uuid`;
      return [...found.map(({ id }) => id), ...created.map(({ id }) => id)];
    },
    // A range of a few hundred events is a few statements; the margin is for a loaded database.
    { timeout: 30_000 },
  );
}

/**
 * Undoes what was read from block `fork` on: events seen there are forgotten (the
 * platform's own transactions go back to PENDING, unlocated, to be found again where
 * they land), positions move back before the fork, and balances are summed again from
 * the events that remain.
 */
async function rewind(prisma: PrismaClient, chainId: number, fork: number, head: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.chainReorg.create({ data: { chainId, forkBlock: fork, depth: Math.max(1, head - fork + 1) } });
    await tx.factoryTokenCreation.deleteMany({ where: { chainId, blockNumber: { gte: fork } } });
    await tx.$executeRaw`UPDATE tokens.token_factories SET indexed_block = LEAST(indexed_block, ${fork - 1})
      WHERE chain_id = ${chainId} AND indexed_block IS NOT NULL`;
    const tokens = await tx.token.findMany({ where: { chainId, indexedBlock: { not: null } }, select: { id: true } });
    const tokenIds = tokens.map((token) => token.id);
    const replaced = { tokenId: { in: tokenIds }, blockNumber: { gte: fork } };
    await tx.tokenTransaction.deleteMany({ where: { ...replaced, requestedById: null } });
    await tx.tokenTransaction.updateMany({
      where: replaced,
      data: { logIndex: null, blockNumber: null, blockHash: null, status: 'PENDING' },
    });
    await tx.$executeRaw`UPDATE tokens.tokens SET indexed_block = LEAST(indexed_block, ${fork - 1})
      WHERE chain_id = ${chainId} AND indexed_block IS NOT NULL`;
    await tx.indexedBlock.deleteMany({ where: { chainId, number: { gte: fork } } });
    await tx.tokenBalance.deleteMany({ where: { tokenId: { in: tokenIds } } });
    await tx.$executeRaw`
      INSERT INTO tokens.token_balances (token_id, holder, balance, updated_at)
      SELECT token_id, holder, sum(delta), now() FROM (
        SELECT token_id, to_address AS holder, amount AS delta FROM tokens.token_transactions
          WHERE token_id = ANY(${tokenIds}::uuid[]) AND log_index IS NOT NULL AND to_address IS NOT NULL
        UNION ALL
        SELECT token_id, from_address, -amount FROM tokens.token_transactions
          WHERE token_id = ANY(${tokenIds}::uuid[]) AND log_index IS NOT NULL AND from_address IS NOT NULL
      ) moves
      GROUP BY token_id, holder`;
  });
}
