import DataLoader from 'dataloader';
import type { Chain, ChainStatus, PrismaClient, Token, TokenBalance, TokenFactory, TokenTransaction } from '@token-nexus/prisma';

/** The largest holders of a token first: what `Token.balances` lists without a cursor. */
export interface BalancesKey {
  tokenId: string;
  /** Rows to read: the page size plus one, to know whether there is a next page. */
  take: number;
}

/**
 * The request's loaders. One set per request, so caching never outlives a request; every
 * list → entity hop goes through one of them (a token's chain, its first balances, a
 * transaction's token), so listing 100 tokens costs as many statements as listing one.
 */
export function createLoaders(prisma: PrismaClient) {
  return {
    tokenById: new DataLoader<string, Token | null>(async (ids) => {
      const rows = await prisma.token.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.id);
    }),

    chainById: new DataLoader<number, Chain | null>(async (chainIds) => {
      const rows = await prisma.chain.findMany({ where: { chainId: { in: [...chainIds] } } });
      return byNumber(chainIds, rows);
    }),

    factoryByChain: new DataLoader<number, TokenFactory | null>(async (chainIds) => {
      const rows = await prisma.tokenFactory.findMany({ where: { chainId: { in: [...chainIds] } } });
      return byNumber(chainIds, rows);
    }),

    statusByChain: new DataLoader<number, ChainStatus | null>(async (chainIds) => {
      const rows = await prisma.chainStatus.findMany({ where: { chainId: { in: [...chainIds] } } });
      return byNumber(chainIds, rows);
    }),

    /** Reorganisations found in the last 24 hours, per chain. */
    reorgsLastDayByChain: new DataLoader<number, number>(async (chainIds) => {
      const rows = await prisma.chainReorg.groupBy({
        by: ['chainId'],
        where: { chainId: { in: [...chainIds] }, detectedAt: { gt: new Date(Date.now() - 86_400_000) } },
        _count: { _all: true },
      });
      const counts = new Map(rows.map((row) => [row.chainId, row._count._all]));
      return chainIds.map((id) => counts.get(id) ?? 0);
    }),

    /** TokenCreated events indexed, per chain. */
    creationsByChain: new DataLoader<number, number>(async (chainIds) => {
      const rows = await prisma.factoryTokenCreation.groupBy({ by: ['chainId'], where: { chainId: { in: [...chainIds] } }, _count: { _all: true } });
      const counts = new Map(rows.map((row) => [row.chainId, row._count._all]));
      return chainIds.map((id) => counts.get(id) ?? 0);
    }),

    /**
     * Whether a token has chain work under way: a deployment, a pause or resume, or a
     * PENDING transaction the platform sent.
     */
    hasPendingWork: new DataLoader<string, boolean>(async (tokenIds) => {
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT t.id::text AS id FROM tokens.tokens t
        WHERE t.id = ANY(${[...tokenIds]}::uuid[])
          AND (t.status = 'DEPLOYING' OR t.control_action IS NOT NULL OR EXISTS (
            SELECT 1 FROM tokens.token_transactions x
            WHERE x.token_id = t.id AND x.status = 'PENDING' AND x.requested_by_id IS NOT NULL))`;
      const pending = new Set(rows.map((row) => row.id));
      return tokenIds.map((id) => pending.has(id));
    }),

    transactionById: new DataLoader<string, TokenTransaction | null>(async (ids) => {
      const rows = await prisma.tokenTransaction.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.id);
    }),

    /**
     * The first page of balances of many tokens in one statement: a window over each
     * token's balances, largest first (holder breaks ties, so pages are stable).
     */
    firstBalances: new DataLoader<BalancesKey, TokenBalance[], string>(
      async (keys) => {
        const take = Math.max(...keys.map((key) => key.take));
        const rows = await prisma.$queryRaw<TokenBalance[]>`
          SELECT token_id AS "tokenId", holder, balance, updated_at AS "updatedAt"
          FROM (
            SELECT *, row_number() OVER (PARTITION BY token_id ORDER BY balance DESC, holder) AS position
            FROM tokens.token_balances
            WHERE token_id = ANY(${[...new Set(keys.map((key) => key.tokenId))]}::uuid[])
          ) ranked
          WHERE position <= ${take}
          ORDER BY token_id, position`;
        return keys.map((key) => rows.filter((row) => row.tokenId === key.tokenId).slice(0, key.take));
      },
      { cacheKeyFn: (key) => `${key.tokenId}|${key.take}` },
    ),
  };
}

export type TokensLoaders = ReturnType<typeof createLoaders>;

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

function byNumber<T extends { chainId: number }>(keys: readonly number[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.chainId, row]));
  return keys.map((key) => map.get(key) ?? null);
}
