import { auditedTransaction, enqueueJob, type Chain, type Token, type TokenFactory } from '@token-nexus/prisma';
import { NotFoundError, parseInput } from '@token-nexus/shared';
import { predictCloneAddress } from '../chain/index.ts';
import type { TokensContext } from '../context.ts';
import { deployerAddressFor } from '../keys/deployer-keys.ts';
import { platformDeployer } from '../keys/platform-deployer.ts';
import { policy } from '../policy.ts';
import { chainIdArgument } from '../validation/inputs.ts';

/**
 * `deployTokenFactory`: records the factory as DEPLOYING and queues the job that deploys
 * the implementation and the factory (jobs/factory-jobs.ts). A factory DEPLOYING or
 * DEPLOYED is left as it is (the call is idempotent); a FAILED one is tried again, with the
 * transactions it signed (a retry sends those same ones, so at most one of each lands).
 */
export async function deployTokenFactory(ctx: TokensContext, args: { chainId: unknown }): Promise<Chain> {
  await policy.assertSystemAdmin(ctx);
  const requestedById = policy.requireViewer(ctx);
  const chainId = parseInput(chainIdArgument, args.chainId, 'chainId');
  const chain = await ctx.prisma.chain.findUnique({ where: { chainId } });
  if (!chain) throw new NotFoundError(`There is no chain ${chainId}.`);
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // One row per chain, locked while deciding: two calls side by side queue one job.
    await tx.$queryRaw`SELECT 1 FROM tokens.chains WHERE chain_id = ${chainId} FOR UPDATE`;
    const existing = await tx.tokenFactory.findUnique({ where: { chainId } });
    if (existing && existing.status !== 'FAILED') return;
    const deployerAddress = await deployerAddressFor(tx, ctx.keys, platformDeployer, chainId);
    await tx.tokenFactory.upsert({
      where: { chainId },
      create: { chainId, status: 'DEPLOYING', deployerAddress, requestedById },
      update: { status: 'DEPLOYING', failureReason: null, requestedById },
    });
    await enqueueJob(tx, ctx.jobs.factory, { chainId });
    audit({
      organizationId: null,
      action: 'chain.factory_deployment_requested',
      target: { type: 'chain', id: String(chainId) },
      changes: { before: existing ? { status: existing.status } : null, after: { status: 'DEPLOYING', deployerAddress } },
    });
  });
  return chain;
}

/**
 * Where a token created through its chain's factory is (or will be): the address recorded
 * when its creation was signed, or, before that, the one the chain's DEPLOYED factory gives
 * the organization's deployer for the token's id. Null for tokens deployed otherwise.
 */
export function predictedAddressOf(token: Token, factory: TokenFactory | null): string | null {
  if (token.deploymentMethod === 'FACTORY') return token.contractAddress;
  if (token.deploymentMethod !== null) return null;
  if (factory?.status !== 'DEPLOYED' || !factory.address || !factory.implementationAddress || !token.deployerAddress) return null;
  return predictCloneAddress({
    factory: factory.address,
    implementation: factory.implementationAddress,
    creator: token.deployerAddress,
    tokenId: token.id,
  });
}
