import { auditedTransaction, type AuditContext, type JobHandler, type TokenFactory } from '@token-nexus/prisma';
import { objectChangeTags } from '@token-nexus/shared';
import { AbiCoder, concat } from 'ethers';
import { nexusTokenFactoryBytecode, nexusTokenImplementationBytecode, type FailoverChainClient } from '../chain/index.ts';
import { signWithDeployer } from '../keys/deployer-keys.ts';
import { platformDeployer } from '../keys/platform-deployer.ts';
import { publishChainStatusEvent } from '../providers/chain-events.ts';
import { failureReason } from './failure-reason.ts';
import type { TokenJobDefinitions, TokenJobDeps } from './token-jobs.ts';
import { waitForConfirmations } from './wait-for-confirmations.ts';

export type FactoryPayload = { chainId: number };

/**
 * Deploys a chain's token factory: the implementation, then the factory over it, each
 * signed and stored before it is sent (a retry sends the same transaction again, so
 * neither can be deployed twice), each waited for to its confirmations. The factory's
 * constructor refuses an implementation without code, so the second is only signed once
 * the first is mined.
 */
export function factoryJobHandler(deps: TokenJobDeps, definitions: TokenJobDefinitions, jobAudit: AuditContext): JobHandler<FactoryPayload> {
  const { prisma } = deps;

  /** Signs one deployment with the platform's key on the chain, stored by `record` before it can be sent. */
  const signDeployment = (client: FailoverChainClient, chainId: number, creationCode: string, action: string, record: (signed: { rawTransaction: string; hash: string; contractAddress: string }) => Record<string, string>) =>
    signWithDeployer(
      prisma,
      deps.vault,
      { organizationId: platformDeployer, chainId },
      (address) => client.nonceOf(address),
      (privateKey, nonce) => client.signContractDeployment(privateKey, creationCode, nonce, action),
      async (tx, signed) => {
        await tx.tokenFactory.update({ where: { chainId }, data: record(signed) });
      },
    );

  /** Sends a stored deployment and waits for it; the block it landed in, or null when it reverted. */
  const land = async (client: FailoverChainClient, rawTransaction: string, hash: string, confirmations: number, signal: AbortSignal) => {
    await client.broadcast(rawTransaction);
    const receipt = await waitForConfirmations(client, hash, {
      confirmations,
      timeoutMs: deps.settings.confirmationTimeoutMs,
      pollMs: deps.settings.receiptPollMs,
      signal,
    });
    return receipt.status === 'success' ? receipt.blockNumber : null;
  };

  /**
   * A token not yet deployed shows where its clone will be once its chain's factory is
   * DEPLOYED (`Token.predictedAddress`): answers cached before, with no address, hold
   * only the tokens' tags, which the factory's audit entry (the chain's) does not bump.
   */
  async function invalidatePredictions(chainId: number) {
    const tokens = await prisma.token.findMany({ where: { chainId, deploymentMethod: null }, select: { id: true, organizationId: true } });
    if (tokens.length === 0) return;
    const tags = new Set(tokens.flatMap((token) => objectChangeTags('Token', token.id, token.organizationId)));
    await deps.cacheVersions
      .bump([...tags])
      .catch((error: unknown) => deps.logger.error({ err: error, chainId }, 'could not invalidate cached tokens of the chain'));
  }

  async function finish(factory: TokenFactory, outcome: { deployedBlock: number } | { failureReason: string }) {
    const moved = await auditedTransaction(prisma, jobAudit, async (tx, audit) => {
      const data =
        'deployedBlock' in outcome
          ? { status: 'DEPLOYED' as const, deployedBlock: outcome.deployedBlock, deployedAt: new Date(), indexedBlock: outcome.deployedBlock - 1 }
          : { status: 'FAILED' as const, failureReason: outcome.failureReason };
      const { count } = await tx.tokenFactory.updateMany({ where: { chainId: factory.chainId, status: 'DEPLOYING' }, data });
      if (count === 0) return false;
      audit({
        organizationId: null,
        action: 'deployedBlock' in outcome ? 'chain.factory_deployed' : 'chain.factory_deployment_failed',
        target: { type: 'chain', id: String(factory.chainId) },
        severity: 'deployedBlock' in outcome ? 'INFO' : 'WARNING',
        changes: { before: { status: 'DEPLOYING' }, after: { ...data, address: factory.address, implementationAddress: factory.implementationAddress } },
      });
      return true;
    });
    if (moved && 'deployedBlock' in outcome) await invalidatePredictions(factory.chainId);
    await publishChainStatusEvent(deps.events, factory.chainId);
  }

  return {
    definition: definitions.factory,
    async run({ chainId }, { signal }) {
      let factory = await prisma.tokenFactory.findUnique({ where: { chainId } });
      if (factory?.status !== 'DEPLOYING') return;
      const chain = await prisma.chain.findUniqueOrThrow({ where: { chainId } });
      const client = deps.clients.for(chain);
      if (!factory.implementationTransaction) {
        await signDeployment(client, chainId, nexusTokenImplementationBytecode, 'deployment of the token implementation', (signed) => ({
          implementationTransaction: signed.rawTransaction,
          implementationTxHash: signed.hash,
          implementationAddress: signed.contractAddress,
        }));
        factory = await prisma.tokenFactory.findUniqueOrThrow({ where: { chainId } });
      }
      if ((await land(client, factory.implementationTransaction!, factory.implementationTxHash!, chain.confirmations, signal)) === null) {
        return finish(factory, { failureReason: `The implementation's deployment ${factory.implementationTxHash} reverted on chain ${chainId}.` });
      }
      if (!factory.factoryTransaction) {
        const creationCode = concat([nexusTokenFactoryBytecode, AbiCoder.defaultAbiCoder().encode(['address'], [factory.implementationAddress])]);
        await signDeployment(client, chainId, creationCode, 'deployment of the token factory', (signed) => ({
          factoryTransaction: signed.rawTransaction,
          factoryTxHash: signed.hash,
          address: signed.contractAddress,
        }));
        factory = await prisma.tokenFactory.findUniqueOrThrow({ where: { chainId } });
      }
      const block = await land(client, factory.factoryTransaction!, factory.factoryTxHash!, chain.confirmations, signal);
      if (block === null) return finish(factory, { failureReason: `The factory's deployment ${factory.factoryTxHash} reverted on chain ${chainId}.` });
      await finish(factory, { deployedBlock: block });
    },
    async onExhausted({ chainId }, error) {
      const factory = await prisma.tokenFactory.findUnique({ where: { chainId } });
      if (factory?.status !== 'DEPLOYING') return;
      await finish(factory, { failureReason: failureReason(error, { chainId, deployer: factory.deployerAddress }) });
    },
  };
}
