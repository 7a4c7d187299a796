import type { TokenBalance } from '@token-nexus/prisma';
import {
  afterNewestFirst,
  decodeNewestFirstCursor,
  encodeCursor,
  newestFirstCursorOf,
  newestFirstOrder,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import type { TokensContext } from '../context.ts';
import type { TokenBalanceConnectionModel, TokenTransactionConnectionModel } from '../models.ts';

interface BalanceCursor {
  balance: string;
  holder: string;
}

const balanceCursorOf = (row: TokenBalance) => encodeCursor([row.balance.toFixed(), row.holder]);

function decodeBalanceCursor([balance, holder]: unknown[]): BalanceCursor | null {
  return typeof balance === 'string' && /^\d+$/.test(balance) && typeof holder === 'string' ? { balance, holder } : null;
}

/**
 * A token's balances, largest first. The first page (what a list of tokens shows) comes
 * through a loader, one statement for all the tokens of the list; later pages read on.
 * The token was authorized by whoever handed it over (a query that checked membership).
 */
export async function listBalances(
  ctx: TokensContext,
  tokenId: string,
  args: { first?: number | null; after?: string | null },
): Promise<TokenBalanceConnectionModel> {
  const page = parsePageRequest(args, decodeBalanceCursor);
  const rows = page.after
    ? await ctx.prisma.tokenBalance.findMany({
        where: {
          tokenId,
          OR: [
            { balance: { lt: page.after.balance } },
            { balance: page.after.balance, holder: { gt: page.after.holder } },
          ],
        },
        orderBy: [{ balance: 'desc' }, { holder: 'asc' }],
        take: page.limit + 1,
      })
    : await ctx.loaders.firstBalances.load({ tokenId, take: page.limit + 1 });
  return toConnection(rows, page, balanceCursorOf);
}

/** A token's transactions, newest first. */
export async function listTransactions(
  ctx: TokensContext,
  tokenId: string,
  args: { first?: number | null; after?: string | null },
): Promise<TokenTransactionConnectionModel> {
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.tokenTransaction.findMany({
    where: { tokenId, ...afterNewestFirst(page.after) },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  return toConnection(rows, page, newestFirstCursorOf);
}
