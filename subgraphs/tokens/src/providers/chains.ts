import { auditedTransaction, isUniqueConstraintError, type Chain, type PrismaClient } from '@token-nexus/prisma';
import { ConflictError, NotFoundError, parseInput, type KeyVault } from '@token-nexus/shared';
import { z } from 'zod';
import type { TokensContext } from '../context.ts';
import { storedRpcUrls } from '../keys/rpc-url-vault.ts';
import { policy } from '../policy.ts';
import { publishChainStatusEvent } from './chain-events.ts';
import { createChainInput, endpointsOf, updateChainInput } from '../validation/inputs.ts';

/** Enabled chains for everyone signed in; all of them for a SYSTEM_ADMIN who asks. */
export async function listChains(ctx: TokensContext, args: { includeDisabled?: boolean | null }): Promise<Chain[]> {
  policy.requireViewer(ctx);
  const all = args.includeDisabled === true && (await policy.isSystemAdmin(ctx));
  return ctx.prisma.chain.findMany({ where: all ? {} : { enabled: true }, orderBy: { chainId: 'asc' } });
}

/** What the trail keeps of a chain: never its RPC URLs (they may carry a provider's key), only their masked form. */
function trailed(chain: Chain) {
  return { name: chain.name, confirmations: chain.confirmations, enabled: chain.enabled, rpcUrls: chain.maskedRpcUrls };
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
          ...storedRpcUrls(ctx.keys, input.chainId, endpointsOf(input)!),
          explorerUrl: input.explorerUrl ?? null,
          confirmations: input.confirmations ?? 1,
          enabled: input.enabled ?? true,
        },
      });
      audit({
        organizationId: null,
        action: 'chain.created',
        target: { type: 'chain', id: String(chain.chainId) },
        changes: { after: trailed(chain) },
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
  const endpoints = endpointsOf(input);
  const updated = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const chain = await tx.chain.update({
      where: { chainId },
      data: {
        ...(input.name != null ? { name: input.name } : {}),
        ...(endpoints ? storedRpcUrls(ctx.keys, chainId, endpoints) : {}),
        ...(input.explorerUrl !== undefined ? { explorerUrl: input.explorerUrl } : {}),
        ...(input.confirmations != null ? { confirmations: input.confirmations } : {}),
        ...(input.enabled != null ? { enabled: input.enabled } : {}),
      },
    });
    audit({
      organizationId: null,
      action: 'chain.updated',
      target: { type: 'chain', id: String(chainId) },
      changes: { before: trailed(before), after: { ...trailed(chain), rpcUrlsChanged: endpoints !== null } },
    });
    return chain;
  });
  // Calls, and the scanner, move to the new endpoints now rather than at their next use:
  // until the scanner looks, `Chain.status` shows the old ones.
  if (endpoints) ctx.clients.changed(updated);
  // Subscribers to the chain see what changed (its settings, and soon its endpoints' health).
  await publishChainStatusEvent(ctx.events, chainId);
  return updated;
}

/**
 * Chains stored before RPC URLs were encrypted keep their one URL in clear: encrypt it
 * now (each row once; instances starting together agree through the `rpc_url IS NOT NULL`
 * condition).
 */
export async function encryptLegacyRpcUrls(prisma: PrismaClient, vault: KeyVault): Promise<number> {
  const legacy = await prisma.chain.findMany({ where: { rpcUrl: { not: null } }, select: { chainId: true, rpcUrl: true } });
  for (const chain of legacy) {
    await prisma.chain.updateMany({
      where: { chainId: chain.chainId, rpcUrl: chain.rpcUrl },
      data: storedRpcUrls(vault, chain.chainId, [chain.rpcUrl!]),
    });
  }
  return legacy.length;
}
