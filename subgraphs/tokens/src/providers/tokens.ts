import { auditedTransaction, type Token } from '@token-nexus/prisma';
import {
  BadUserInputError,
  NotFoundError,
  afterNewestFirst,
  decodeNewestFirstCursor,
  newestFirstCursorOf,
  newestFirstOrder,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { TokensContext } from '../context.ts';
import { deployerAddressFor } from '../keys/deployer-keys.ts';
import type { TokenConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { createTokenInput, uuid } from '../validation/inputs.ts';
import { publishTokenEvent } from './token-events.ts';

const tokenStatus = z.enum(['DRAFT', 'DEPLOYING', 'DEPLOYED', 'PAUSED', 'RETIRED', 'FAILED']);

/** The token, or NOT_FOUND (authorization is the caller's next step). */
export async function requireToken(ctx: TokensContext, id: unknown, field = 'id'): Promise<Token> {
  const token = await ctx.loaders.tokenById.load(parseInput(uuid, id, field));
  if (!token) throw new NotFoundError('The token does not exist.');
  return token;
}

export async function findToken(ctx: TokensContext, id: unknown): Promise<Token | null> {
  const token = await ctx.loaders.tokenById.load(parseInput(uuid, id, 'id'));
  if (!token) return null;
  await policy.assertCanRead(ctx, token.organizationId);
  return token;
}

/** One page of an organization's tokens, newest first. */
export async function listTokens(
  ctx: TokensContext,
  args: { orgId: unknown; status?: unknown; first?: number | null; after?: string | null },
): Promise<TokenConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  const status = args.status == null ? undefined : parseInput(tokenStatus, args.status, 'status');
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.token.findMany({
    where: { organizationId, ...(status ? { status } : {}), ...afterNewestFirst(page.after) },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  for (const row of rows) ctx.loaders.tokenById.prime(row.id, row);
  return toConnection(rows, page, newestFirstCursorOf);
}

/** Defines a DRAFT token on an enabled chain. */
export async function createToken(ctx: TokensContext, rawInput: unknown): Promise<Token> {
  const input = parseInput(createTokenInput, rawInput, 'input');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, input.orgId, 'create tokens');
  const chain = await ctx.loaders.chainById.load(input.chainId);
  if (!chain || !chain.enabled) {
    throw new BadUserInputError(`input.chainId: ${input.chainId} is not a chain tokens can be deployed to (see \`chains\`)`, {
      field: 'input.chainId',
    });
  }
  const token = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // The deployer exists from the start, so its address can be funded before deploying.
    const deployerAddress = await deployerAddressFor(tx, ctx.keys, input.orgId, input.chainId);
    const created = await tx.token.create({
      data: {
        organizationId: input.orgId,
        name: input.name,
        symbol: input.symbol,
        decimals: input.decimals,
        initialSupply: input.initialSupply.toString(),
        chainId: input.chainId,
        deployerAddress,
        createdById,
      },
    });
    audit({
      organizationId: input.orgId,
      action: 'token.created',
      target: { type: 'token', id: created.id },
      changes: {
        after: {
          name: created.name,
          symbol: created.symbol,
          decimals: created.decimals,
          initialSupply: input.initialSupply.toString(),
          chainId: created.chainId,
        },
      },
    });
    return created;
  });
  await publishTokenEvent(ctx.events, token.organizationId, { tokenId: token.id, transactionId: null });
  return token;
}
