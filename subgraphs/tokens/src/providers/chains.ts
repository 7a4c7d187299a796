import { auditedTransaction, isUniqueConstraintError, type Chain } from '@token-nexus/prisma';
import { ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { TokensContext } from '../context.ts';
import { policy } from '../policy.ts';
import { createChainInput, updateChainInput } from '../validation/inputs.ts';

/** Enabled chains for everyone signed in; all of them for a SYSTEM_ADMIN who asks. */
export async function listChains(ctx: TokensContext, args: { includeDisabled?: boolean | null }): Promise<Chain[]> {
  policy.requireViewer(ctx);
  const all = args.includeDisabled === true && (await policy.isSystemAdmin(ctx));
  return ctx.prisma.chain.findMany({ where: all ? {} : { enabled: true }, orderBy: { chainId: 'asc' } });
}

export async function createChain(ctx: TokensContext, rawInput: unknown): Promise<Chain> {
  await policy.assertSystemAdmin(ctx);
  const input = parseInput(createChainInput, rawInput, 'input');
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const chain = await tx.chain.create({
        data: {
          chainId: input.chainId,
          name: input.name,
          rpcUrl: input.rpcUrl,
          explorerUrl: input.explorerUrl ?? null,
          confirmations: input.confirmations ?? 1,
          enabled: input.enabled ?? true,
        },
      });
      // The RPC URL may carry a provider's key: it stays out of the trail.
      audit({
        organizationId: null,
        action: 'chain.created',
        target: { type: 'chain', id: String(chain.chainId) },
        changes: { after: { name: chain.name, confirmations: chain.confirmations, enabled: chain.enabled } },
      });
      return chain;
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) throw new ConflictError(`Chain ${input.chainId} exists already; change it with updateChain.`);
    throw error;
  }
}

export async function updateChain(ctx: TokensContext, args: { chainId: unknown; input: unknown }): Promise<Chain> {
  await policy.assertSystemAdmin(ctx);
  const chainId = parseInput(z.int(), args.chainId, 'chainId');
  const input = parseInput(updateChainInput, args.input, 'input');
  const before = await ctx.prisma.chain.findUnique({ where: { chainId } });
  if (!before) throw new NotFoundError(`There is no chain ${chainId}.`);
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const chain = await tx.chain.update({
      where: { chainId },
      data: {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.rpcUrl != null ? { rpcUrl: input.rpcUrl } : {}),
        ...(input.explorerUrl !== undefined ? { explorerUrl: input.explorerUrl } : {}),
        ...(input.confirmations != null ? { confirmations: input.confirmations } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
      },
    });
    audit({
      organizationId: null,
      action: 'chain.updated',
      target: { type: 'chain', id: String(chainId) },
      changes: {
        before: { name: before.name, confirmations: before.confirmations, enabled: before.enabled },
        after: { name: chain.name, confirmations: chain.confirmations, enabled: chain.enabled, rpcUrlChanged: chain.rpcUrl !== before.rpcUrl },
      },
    });
    return chain;
  });
}
