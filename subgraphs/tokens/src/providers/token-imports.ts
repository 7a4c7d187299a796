import { auditedTransaction, isUniqueConstraintError, type Token } from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, UnavailableError, parseInput } from '@token-nexus/shared';
import { ChainUnavailableError, NotAnErc20Error, readErc20Metadata } from '../chain/index.ts';
import type { TokensContext } from '../context.ts';
import { policy } from '../policy.ts';
import { address, chainIdArgument, uuid } from '../validation/inputs.ts';
import { z } from 'zod';
import { publishTokenEvent } from './token-events.ts';

const fromBlockArgument = z.int('must be a whole number').min(0, 'must be at least 0').nullish();

/**
 * `importToken`: checks that the address holds an ERC-20 on the chain, then records it as
 * a DEPLOYED, IMPORTED token whose indexing starts at `fromBlock` (the indexer back-fills
 * its Transfer history from there in ranges the node accepts, then follows it). Nothing
 * is written when a check fails.
 */
export async function importToken(ctx: TokensContext, args: { orgId: unknown; chainId: unknown; address: unknown; fromBlock?: unknown }): Promise<Token> {
  const createdById = policy.requireViewer(ctx);
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanManage(ctx, organizationId, 'import tokens');
  const chainId = parseInput(chainIdArgument, args.chainId, 'chainId');
  const contractAddress = parseInput(address, args.address, 'address');
  const fromBlock = parseInput(fromBlockArgument, args.fromBlock, 'fromBlock') ?? 0;
  const chain = await ctx.prisma.chain.findUnique({ where: { chainId } });
  if (!chain?.enabled) throw new BadUserInputError(`chainId: ${chainId} is not a chain tokens can be followed on (see \`chains\`)`, { field: 'chainId' });
  const existing = () => ctx.prisma.token.findFirst({ where: { organizationId, chainId, contractAddress }, select: { id: true } });
  const alreadyThere = (tokenId: string | undefined) =>
    new ConflictError(`The organization already has the token at ${contractAddress} on chain ${chainId}.`, tokenId ? { tokenId } : {});
  const known = await existing();
  if (known) throw alreadyThere(known.id);

  const { metadata, head } = await readToken(ctx, chain, contractAddress);
  // A typo here would follow nothing for months, silently.
  if (fromBlock > head + 1) {
    throw new BadUserInputError(`fromBlock: ${fromBlock} is past chain ${chainId}'s head (block ${head})`, { field: 'fromBlock' });
  }
  try {
    const token = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const created = await tx.token.create({
        data: {
          organizationId,
          chainId,
          name: metadata.name,
          symbol: metadata.symbol,
          decimals: metadata.decimals,
          initialSupply: metadata.totalSupply.toString(),
          status: 'DEPLOYED',
          deploymentMethod: 'IMPORTED',
          contractAddress,
          indexedBlock: fromBlock - 1,
          createdById,
        },
      });
      audit({
        organizationId,
        action: 'token.imported',
        target: { type: 'token', id: created.id },
        changes: { after: { chainId, contractAddress, name: created.name, symbol: created.symbol, decimals: created.decimals, fromBlock } },
      });
      return created;
    });
    await publishTokenEvent(ctx.events, organizationId, { tokenId: token.id, transactionId: null });
    return token;
  } catch (error) {
    // Two imports of the same token side by side: the unique (organization, chain, address)
    // decides, and the one that lost names the token, as the check above does.
    if (isUniqueConstraintError(error)) throw alreadyThere((await existing())?.id);
    throw error;
  }
}

/** The token's ERC-20 metadata and the chain's head, as UNAVAILABLE or BAD_USER_INPUT when they cannot be read. */
async function readToken(ctx: TokensContext, chain: Parameters<TokensContext['clients']['for']>[0], contractAddress: string) {
  const client = ctx.clients.for(chain);
  try {
    const [metadata, head] = await Promise.all([readErc20Metadata(client, contractAddress), client.headNumber()]);
    return { metadata, head };
  } catch (error) {
    if (error instanceof NotAnErc20Error) throw new BadUserInputError(`address: ${error.message}`, { field: 'address' });
    if (error instanceof ChainUnavailableError) throw new UnavailableError(`Chain ${chain.chainId} does not answer now; try again later.`);
    throw error;
  }
}
