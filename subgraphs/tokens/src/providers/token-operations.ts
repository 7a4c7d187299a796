import { auditedTransaction, enqueueJob, type Token, type TokenTransaction } from '@token-nexus/prisma';
import { ConflictError, parseInput } from '@token-nexus/shared';
import type { TokensContext } from '../context.ts';
import { policy } from '../policy.ts';
import { amount, recipient } from '../validation/inputs.ts';
import { assertCanMove, assertOperable } from './lifecycle.ts';
import { publishTokenEvent } from './token-events.ts';
import { requireToken } from './tokens.ts';

/**
 * The mutations that act on chain. Each only records what is asked and queues a job, in
 * one transaction with its audit entry; the job signs, sends and waits for confirmations
 * (see jobs/token-jobs.ts). So a slow or unreachable chain never holds up the API, and a
 * refusal here (a bad amount, a paused token, a VIEWER) writes nothing and sends nothing.
 */
export async function deployToken(ctx: TokensContext, args: { id: unknown }): Promise<Token> {
  const token = await requireToken(ctx, args.id);
  await policy.assertCanManage(ctx, token.organizationId, 'deploy tokens');
  assertCanMove(token.status, 'DEPLOYING', 'deployed');
  const chain = await ctx.loaders.chainById.load(token.chainId);
  if (!chain?.enabled) throw new ConflictError(`Chain ${token.chainId} is disabled; tokens cannot be deployed to it now.`);
  const updated = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const { count } = await tx.token.updateMany({
      where: { id: token.id, status: token.status },
      data: { status: 'DEPLOYING', failureReason: null },
    });
    if (count === 0) throw new ConflictError('The token changed meanwhile; read it again.');
    await enqueueJob(tx, ctx.jobs.deploy, { tokenId: token.id });
    audit({
      organizationId: token.organizationId,
      action: 'token.deployment_requested',
      target: { type: 'token', id: token.id },
      changes: { before: { status: token.status }, after: { status: 'DEPLOYING', chainId: token.chainId } },
    });
    return tx.token.findUniqueOrThrow({ where: { id: token.id } });
  });
  await publishTokenEvent(ctx.events, token.organizationId, { tokenId: token.id, transactionId: null });
  return updated;
}

type CallKind = 'MINT' | 'TRANSFER' | 'BURN';

/** Mints, transfers or burns: a PENDING transaction and its job. */
export async function requestTokenCall(
  ctx: TokensContext,
  kind: CallKind,
  args: { tokenId: unknown; to?: unknown; amount: unknown },
): Promise<TokenTransaction> {
  const token = await requireToken(ctx, args.tokenId, 'tokenId');
  const requestedById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, token.organizationId, `${kind.toLowerCase()} tokens`);
  assertOperable(token, kind === 'MINT' ? 'minted' : kind === 'TRANSFER' ? 'transferred' : 'burned');
  const value = parseInput(amount({ positive: true }), args.amount, 'amount');
  const to = kind === 'BURN' ? null : parseInput(recipient, args.to, 'to');
  if (token.status !== 'DEPLOYED') {
    throw new ConflictError(
      token.status === 'PAUSED'
        ? 'The token is paused: resume it before moving tokens.'
        : `The token is ${token.status}: only a DEPLOYED token's tokens can be minted, transferred or burned.`,
    );
  }
  const from = kind === 'MINT' ? null : token.deployerAddress;
  const recorded = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const row = await tx.tokenTransaction.create({
      data: { tokenId: token.id, kind, fromAddress: from, toAddress: to, amount: value.toString(), requestedById },
    });
    await enqueueJob(tx, ctx.jobs.send, { transactionId: row.id });
    audit({
      organizationId: token.organizationId,
      action: `token.${kind.toLowerCase()}_requested`,
      target: { type: 'token', id: token.id },
      changes: { after: { transactionId: row.id, kind, from, to, amount: value.toString() } },
    });
    return row;
  });
  await publishTokenEvent(ctx.events, token.organizationId, { tokenId: token.id, transactionId: recorded.id });
  return recorded;
}

/** Pauses or resumes on chain: the status moves once the transaction is confirmed. */
export async function requestControl(ctx: TokensContext, args: { id: unknown }, action: 'PAUSE' | 'RESUME'): Promise<Token> {
  const token = await requireToken(ctx, args.id);
  await policy.assertCanManage(ctx, token.organizationId, action === 'PAUSE' ? 'pause tokens' : 'resume tokens');
  assertOperable(token, action === 'PAUSE' ? 'paused' : 'resumed');
  assertCanMove(token.status, action === 'PAUSE' ? 'PAUSED' : 'DEPLOYED', action === 'PAUSE' ? 'paused' : 'resumed');
  if (token.controlAction) throw new ConflictError(`A ${token.controlAction.toLowerCase()} of this token is already under way.`);
  const updated = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const { count } = await tx.token.updateMany({
      where: { id: token.id, status: token.status, controlAction: null },
      data: { controlAction: action, controlTransaction: null, controlTxHash: null },
    });
    if (count === 0) throw new ConflictError('The token changed meanwhile; read it again.');
    await enqueueJob(tx, ctx.jobs.control, { tokenId: token.id });
    audit({
      organizationId: token.organizationId,
      action: action === 'PAUSE' ? 'token.pause_requested' : 'token.resume_requested',
      target: { type: 'token', id: token.id },
    });
    return tx.token.findUniqueOrThrow({ where: { id: token.id } });
  });
  await publishTokenEvent(ctx.events, token.organizationId, { tokenId: token.id, transactionId: null });
  return updated;
}

/** Retires a token for good; nothing more is sent for it. */
export async function retireToken(ctx: TokensContext, args: { id: unknown }): Promise<Token> {
  const token = await requireToken(ctx, args.id);
  await policy.assertCanManage(ctx, token.organizationId, 'retire tokens');
  assertCanMove(token.status, 'RETIRED', 'retired');
  const updated = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const { count } = await tx.token.updateMany({
      where: { id: token.id, status: token.status },
      data: { status: 'RETIRED', controlAction: null },
    });
    if (count === 0) throw new ConflictError('The token changed meanwhile; read it again.');
    audit({
      organizationId: token.organizationId,
      action: 'token.retired',
      target: { type: 'token', id: token.id },
      changes: { before: { status: token.status }, after: { status: 'RETIRED' } },
    });
    return tx.token.findUniqueOrThrow({ where: { id: token.id } });
  });
  await publishTokenEvent(ctx.events, token.organizationId, { tokenId: token.id, transactionId: null });
  return updated;
}
