import {
  auditedTransaction,
  recordWebhookEvent,
  type AuditContext,
  type JobDefinition,
  type JobHandler,
  type PrismaClient,
  type Token,
} from '@token-nexus/prisma';
import { objectChangeTags, type CacheTagVersions, type EventBus, type Logger } from '@token-nexus/shared';
import { ChainCallRefusedError, type ChainClient, type TokenCall } from '../chain/index.ts';
import { signWithDeployer } from '../keys/deployer-keys.ts';
import { factoryJobHandler, type FactoryPayload } from './factory-jobs.ts';
import { signTokenDeployment } from './sign-token-deployment.ts';
import { waitingForChain } from './wait-for-chain.ts';
import type { KeyVault } from '@token-nexus/shared';
import { publishTokenEvent } from '../providers/token-events.ts';
import type { ChainClients } from './chain-clients.ts';
import { failureReason } from './failure-reason.ts';
import { waitForConfirmations } from './wait-for-confirmations.ts';

/** What the token jobs share: storage, keys, chains, events. */
export interface TokenJobDeps {
  prisma: PrismaClient;
  vault: KeyVault;
  clients: ChainClients;
  events: EventBus;
  logger: Logger;
  /** `chainWaitMs`: how long a job waits before trying a chain that had no endpoint answering again. */
  settings: { confirmationTimeoutMs: number; receiptPollMs: number; chainWaitMs: number };
  /** The live feed and cache invalidation of what the jobs record. */
  onAuditRecorded: AuditContext['onRecorded'];
  /** For what the jobs write outside audited transactions (a signed transaction's hash). */
  cacheVersions: CacheTagVersions;
}

export type DeployPayload = { tokenId: string };
export type SendPayload = { transactionId: string };
export type ControlPayload = { tokenId: string };

/** The queues, with the attempts and first retry delay configured (each retry doubles it, ±20%). */
export function tokenJobDefinitions(maxAttempts: number, retryBaseMs: number) {
  // A job waits for confirmations: its lease must outlast a slow block time.
  const common = {
    maxAttempts,
    leaseMs: 120_000,
    backoff: (attempt: number) => Math.min(retryBaseMs * 2 ** (attempt - 1), 3_600_000) * (0.8 + Math.random() * 0.4),
  };
  return {
    deploy: { queue: 'tokens.deploy', ...common } satisfies JobDefinition<DeployPayload>,
    send: { queue: 'tokens.send', ...common } satisfies JobDefinition<SendPayload>,
    control: { queue: 'tokens.control', ...common } satisfies JobDefinition<ControlPayload>,
    factory: { queue: 'tokens.factory', ...common } satisfies JobDefinition<FactoryPayload>,
  };
}

export type TokenJobDefinitions = ReturnType<typeof tokenJobDefinitions>;


/**
 * The handlers. Each is safe to run again (a job runs at least once): a signed transaction
 * is stored before it is sent, and a retry sends that same transaction (same nonce) again
 * rather than signing a new one, so a deployment or a mint can never happen twice.
 */
export function tokenJobHandlers(deps: TokenJobDeps, definitions: TokenJobDefinitions): JobHandler<never>[] {
  const { prisma } = deps;
  // Changes recorded by jobs are the platform's own, on behalf of whoever asked.
  const jobAudit: AuditContext = {
    actor: { type: 'SYSTEM', id: 'tokens.jobs' },
    requestId: null,
    clientIp: null,
    userAgent: null,
    onRecorded: deps.onAuditRecorded,
  };
  // A signed transaction stored on the token (its hash, its contract address) is visible.
  const invalidate = (token: Token) =>
    deps.cacheVersions
      .bump(objectChangeTags('Token', token.id, token.organizationId))
      .catch((error: unknown) => deps.logger.error({ err: error, tokenId: token.id }, 'could not invalidate cached tokens'));
  const chainOf = async (token: Token) => {
    const chain = await prisma.chain.findUniqueOrThrow({ where: { chainId: token.chainId } });
    return { chain, client: deps.clients.for(chain) };
  };
  const confirmations = (client: ChainClient, hash: string, required: number, signal: AbortSignal) =>
    waitForConfirmations(client, hash, {
      confirmations: required,
      timeoutMs: deps.settings.confirmationTimeoutMs,
      pollMs: deps.settings.receiptPollMs,
      signal,
    });
  const announce = (token: Pick<Token, 'id' | 'organizationId'>, transactionId: string | null = null) =>
    publishTokenEvent(deps.events, token.organizationId, { tokenId: token.id, transactionId });

  const deploy: JobHandler<DeployPayload> = {
    definition: definitions.deploy,
    async run({ tokenId }, { signal }) {
      let token = await prisma.token.findUnique({ where: { id: tokenId } });
      if (!token || token.status !== 'DEPLOYING') return;
      const { chain, client } = await chainOf(token);
      if (!token.deployTransaction) {
        await signTokenDeployment({ prisma, vault: deps.vault }, client, token);
        await invalidate(token);
        token = await prisma.token.findUniqueOrThrow({ where: { id: tokenId } });
      }
      await client.broadcast(token.deployTransaction!);
      const receipt = await confirmations(client, token.deployTxHash!, chain.confirmations, signal);
      if (receipt.status === 'reverted') {
        await finishDeployment(token, { failureReason: `The deployment transaction ${token.deployTxHash} reverted on chain ${chain.chainId}.` });
        return;
      }
      // A clone's creation is a call: no contract address in its receipt, and the clone must be where predicted.
      if (token.deploymentMethod === 'FACTORY' && (await client.codeAt(token.contractAddress!)) === '0x') {
        await finishDeployment(token, { failureReason: `The factory created no token at ${token.contractAddress} (transaction ${token.deployTxHash}).` });
        return;
      }
      await finishDeployment(token, { receipt });
    },
    async onExhausted({ tokenId }, error) {
      const token = await prisma.token.findUnique({ where: { id: tokenId } });
      if (!token || token.status !== 'DEPLOYING') return;
      await finishDeployment(token, {
        failureReason: failureReason(error, { chainId: token.chainId, deployer: token.deployerAddress }),
      });
    },
  };

  async function finishDeployment(
    token: Token,
    outcome: { receipt: { blockNumber: number; contractAddress: string | null } } | { failureReason: string },
  ) {
    const moved = await auditedTransaction(prisma, jobAudit, async (tx, audit) => {
      const data =
        'receipt' in outcome
          ? {
              status: 'DEPLOYED' as const,
              failureReason: null,
              contractAddress: outcome.receipt.contractAddress ?? token.contractAddress,
              deployedBlock: outcome.receipt.blockNumber,
              deployedAt: new Date(),
              indexedBlock: outcome.receipt.blockNumber - 1,
            }
          : { status: 'FAILED' as const, failureReason: outcome.failureReason };
      const { count } = await tx.token.updateMany({ where: { id: token.id, status: 'DEPLOYING' }, data });
      if (count === 0) return false;
      audit({
        organizationId: token.organizationId,
        action: 'receipt' in outcome ? 'token.deployed' : 'token.deployment_failed',
        target: { type: 'token', id: token.id },
        severity: 'receipt' in outcome ? 'INFO' : 'WARNING',
        changes: { before: { status: 'DEPLOYING' }, after: data },
      });
      if ('receipt' in outcome) {
        await recordWebhookEvent(tx, {
          organizationId: token.organizationId,
          type: 'token.deployed',
          data: { tokenId: token.id, symbol: token.symbol, chainId: token.chainId, contractAddress: data.contractAddress ?? null },
        });
      }
      return true;
    });
    if (moved) await announce(token);
  }

  const send: JobHandler<SendPayload> = {
    definition: definitions.send,
    async run({ transactionId }, { signal }) {
      let row = await prisma.tokenTransaction.findUnique({ where: { id: transactionId }, include: { token: true } });
      if (!row || row.status !== 'PENDING' || !row.requestedById) return;
      const { token } = row;
      const { chain, client } = await chainOf(token);
      if (!row.rawTransaction) {
        const amount = BigInt(row.amount.toFixed());
        const call: TokenCall =
          row.kind === 'MINT'
            ? { method: 'mint', to: row.toAddress!, amount }
            : row.kind === 'TRANSFER'
              ? { method: 'transfer', to: row.toAddress!, amount }
              : { method: 'burn', amount };
        try {
          await signWithDeployer(
            prisma,
            deps.vault,
            { organizationId: token.organizationId, chainId: token.chainId },
            (address) => client.nonceOf(address),
            (privateKey, nonce) => client.signCall(privateKey, token.contractAddress!, call, nonce),
            async (tx, signed) => {
              await tx.tokenTransaction.update({
                where: { id: transactionId },
                data: { rawTransaction: signed.rawTransaction, txHash: signed.hash },
              });
            },
          );
          await invalidate(token!);
        } catch (error) {
          // The chain would refuse it (paused, not enough tokens): no point retrying.
          if (error instanceof ChainCallRefusedError) return failTransaction(transactionId, token, failureReason(error, { chainId: chain.chainId, deployer: token.deployerAddress }));
          throw error;
        }
        row = await prisma.tokenTransaction.findUniqueOrThrow({ where: { id: transactionId }, include: { token: true } });
      }
      await client.broadcast(row.rawTransaction!);
      const receipt = await confirmations(client, row.txHash!, chain.confirmations, signal);
      if (receipt.status === 'reverted') {
        return failTransaction(transactionId, token, `The transaction ${row.txHash} reverted on chain ${chain.chainId}.`);
      }
      const { count } = await prisma.tokenTransaction.updateMany({
        where: { id: transactionId, status: 'PENDING' },
        data: { status: 'CONFIRMED', blockNumber: receipt.blockNumber, blockHash: receipt.blockHash },
      });
      if (count > 0) await announce(token, transactionId);
    },
    async onExhausted({ transactionId }, error) {
      const row = await prisma.tokenTransaction.findUnique({ where: { id: transactionId }, include: { token: true } });
      if (!row || row.status !== 'PENDING') return;
      await failTransaction(transactionId, row.token, failureReason(error, { chainId: row.token.chainId, deployer: row.token.deployerAddress }));
    },
  };

  async function failTransaction(transactionId: string, token: Token, reason: string) {
    const { count } = await prisma.tokenTransaction.updateMany({
      where: { id: transactionId, status: 'PENDING' },
      data: { status: 'FAILED', failureReason: reason },
    });
    if (count > 0) await announce(token, transactionId);
  }

  const control: JobHandler<ControlPayload> = {
    definition: definitions.control,
    async run({ tokenId }, { signal }) {
      let token = await prisma.token.findUnique({ where: { id: tokenId } });
      if (!token?.controlAction) return;
      const { chain, client } = await chainOf(token);
      const pause = token.controlAction === 'PAUSE';
      if (!token.controlTransaction) {
        // Already as asked (a retry after the transaction landed): nothing to send.
        if ((await client.paused(token.contractAddress!)) === pause) return finishControl(token, true);
        try {
          await signWithDeployer(
            prisma,
            deps.vault,
            { organizationId: token.organizationId, chainId: token.chainId },
            (address) => client.nonceOf(address),
            (privateKey, nonce) => client.signCall(privateKey, token!.contractAddress!, { method: pause ? 'pause' : 'unpause' }, nonce),
            async (tx, signed) => {
              await tx.token.update({
                where: { id: tokenId },
                data: { controlTransaction: signed.rawTransaction, controlTxHash: signed.hash },
              });
            },
          );
          await invalidate(token!);
        } catch (error) {
          if (error instanceof ChainCallRefusedError) return finishControl(token, false);
          throw error;
        }
        token = await prisma.token.findUniqueOrThrow({ where: { id: tokenId } });
      }
      await client.broadcast(token.controlTransaction!);
      const receipt = await confirmations(client, token.controlTxHash!, chain.confirmations, signal);
      await finishControl(token, receipt.status === 'success');
    },
    async onExhausted({ tokenId }) {
      const token = await prisma.token.findUnique({ where: { id: tokenId } });
      if (token?.controlAction) await finishControl(token, false);
    },
  };

  /** Ends a pause or resume: the status moves only if the chain did. */
  async function finishControl(token: Token, succeeded: boolean) {
    const pause = token.controlAction === 'PAUSE';
    const moved = await auditedTransaction(prisma, jobAudit, async (tx, audit) => {
      const from = pause ? 'DEPLOYED' : 'PAUSED';
      const to = pause ? 'PAUSED' : 'DEPLOYED';
      const { count } = await tx.token.updateMany({
        where: { id: token.id, controlAction: token.controlAction },
        data: {
          controlAction: null,
          controlTransaction: null,
          controlTxHash: null,
          ...(succeeded ? { status: to } : {}),
        },
      });
      if (count === 0) return false;
      audit({
        organizationId: token.organizationId,
        action: succeeded ? (pause ? 'token.paused' : 'token.resumed') : pause ? 'token.pause_failed' : 'token.resume_failed',
        target: { type: 'token', id: token.id },
        severity: succeeded ? 'INFO' : 'WARNING',
        changes: succeeded ? { before: { status: from }, after: { status: to } } : null,
      });
      return true;
    });
    if (moved) await announce(token);
  }

  const chainOfToken = async ({ tokenId }: { tokenId: string }) =>
    (await prisma.token.findUnique({ where: { id: tokenId }, select: { chainId: true } }))?.chainId ?? null;
  const chainOfTransaction = async ({ transactionId }: SendPayload) =>
    (await prisma.tokenTransaction.findUnique({ where: { id: transactionId }, select: { token: { select: { chainId: true } } } }))?.token.chainId ?? null;
  const waiting = { prisma, clients: deps.clients, waitMs: deps.settings.chainWaitMs };
  return [
    waitingForChain(deploy, waiting, chainOfToken),
    waitingForChain(send, waiting, chainOfTransaction),
    waitingForChain(control, waiting, chainOfToken),
    waitingForChain(factoryJobHandler(deps, definitions, jobAudit), waiting, async ({ chainId }) => chainId),
  ] as JobHandler<never>[];
}
