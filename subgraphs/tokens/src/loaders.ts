import DataLoader from 'dataloader';
import type { Chain, PrismaClient, Token, TokenBalance, TokenTransaction } from '@token-nexus/prisma';

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
      const map = new Map(rows.map((row) => [row.chainId, row]));
      return chainIds.map((id) => map.get(id) ?? null);
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
