import { auditedTransaction, type Prisma, type WorkflowRun } from '@token-nexus/prisma';
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
import type { WorkflowsContext } from '../context.ts';
import { cancelRun, isInProgress, retryRun } from '../engine/run-control.ts';
import type { ChangedRun } from '../engine/run-updates.ts';
import { startRun } from '../engine/start-run.ts';
import type { WorkflowRunConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { requireManagedWorkflow } from './workflows.ts';

const uuid = z.uuid('must be an id returned by this API');
const runStatus = z.enum(['QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

/** A manual run's input: a JSON object, small enough to keep with the run. */
const maxInputBytes = 64 * 1024;

/** A run the caller may read, or null (missing or another organization's: the same to them). */
export async function findRun(ctx: WorkflowsContext, rawId: unknown): Promise<WorkflowRun | null> {
  const id = parseInput(uuid, rawId, 'id');
  const run = await ctx.prisma.workflowRun.findUnique({ where: { id } });
  if (!run || !(await policy.canRead(ctx, run.organizationId))) return null;
  return run;
}

export async function listRuns(
  ctx: WorkflowsContext,
  args: { orgId: unknown; workflowId?: unknown; status?: unknown; first?: number | null; after?: string | null },
): Promise<WorkflowRunConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const workflowId = args.workflowId == null ? undefined : parseInput(uuid, args.workflowId, 'workflowId');
  const status = args.status == null ? undefined : parseInput(runStatus, args.status, 'status');
  await policy.assertCanRead(ctx, organizationId);
  return pageOfRuns(ctx, { organizationId, ...(workflowId ? { workflowId } : {}), ...(status ? { status } : {}) }, args);
}

/** One page of runs, newest first, matching `where`. */
export async function pageOfRuns(
  ctx: WorkflowsContext,
  where: Prisma.WorkflowRunWhereInput,
  args: { first?: number | null; after?: string | null },
): Promise<WorkflowRunConnectionModel> {
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.workflowRun.findMany({
    where: { ...where, ...afterNewestFirst(page.after) },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  return toConnection(rows, page, newestFirstCursorOf);
}

/** A run the caller may control (OWNER or ADMIN); NOT_FOUND when they cannot see it. */
async function requireManagedRun(ctx: WorkflowsContext, rawId: unknown): Promise<WorkflowRun> {
  const id = parseInput(uuid, rawId, 'id');
  const run = await ctx.prisma.workflowRun.findUnique({ where: { id } });
  if (!run) throw new NotFoundError('The run does not exist.');
  await policy.assertCanManage(ctx, run.organizationId, { byId: true });
  return run;
}

export async function runWorkflow(ctx: WorkflowsContext, args: { id: unknown; input?: unknown }): Promise<WorkflowRun> {
  const workflow = await requireManagedWorkflow(ctx, args.id);
  const requestedById = policy.requireViewer(ctx);
  const input = args.input ?? {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new BadUserInputError('input: must be a JSON object.', { field: 'input' });
  }
  if (Buffer.byteLength(JSON.stringify(input)) > maxInputBytes) {
    throw new BadUserInputError(`input: must be at most ${maxInputBytes} bytes of JSON.`, { field: 'input' });
  }
  if (!workflow.enabled) throw new BadUserInputError('The workflow is disabled: enable it to run it.', { field: 'id' });
  const changed: ChangedRun[] = [];
  const run = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const started = await startRun(tx, workflow, { type: 'MANUAL', payload: { input }, requestedById }, ctx.engine);
    changed.push(...started.changed);
    audit({ organizationId: workflow.organizationId, action: 'workflow.run.started', target: { type: 'workflow_run', id: started.id }, changes: { after: { workflowId: workflow.id, version: workflow.version } } });
    return tx.workflowRun.findUniqueOrThrow({ where: { id: started.id } });
  });
  ctx.notifyRuns(changed);
  return run;
}

/** Runs `change` on the run under its row lock, audited, and tells subscribers. */
async function controlRun(
  ctx: WorkflowsContext,
  rawId: unknown,
  action: string,
  change: (tx: Prisma.TransactionClient, run: WorkflowRun) => Promise<ChangedRun[]>,
): Promise<WorkflowRun> {
  const found = await requireManagedRun(ctx, rawId);
  const changed: ChangedRun[] = [];
  const run = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.$queryRaw`SELECT 1 FROM workflows.workflow_runs WHERE id = ${found.id}::uuid FOR UPDATE`;
    const before = await tx.workflowRun.findUniqueOrThrow({ where: { id: found.id } });
    changed.push(...(await change(tx, before)));
    const after = await tx.workflowRun.findUniqueOrThrow({ where: { id: found.id } });
    audit({
      organizationId: after.organizationId,
      action,
      target: { type: 'workflow_run', id: after.id },
      changes: { before: { status: before.status }, after: { status: after.status } },
    });
    return after;
  });
  ctx.notifyRuns(changed);
  return run;
}

export function cancelWorkflowRun(ctx: WorkflowsContext, args: { id: unknown }): Promise<WorkflowRun> {
  return controlRun(ctx, args.id, 'workflow.run.cancelled', async (tx, run) => {
    if (!isInProgress(run.status)) throw new BadUserInputError(`The run is already over (${run.status}).`, { field: 'id' });
    return cancelRun(tx, run, 'Cancelled by cancelWorkflowRun.', ctx.engine);
  });
}

export function retryWorkflowRun(ctx: WorkflowsContext, args: { id: unknown }): Promise<WorkflowRun> {
  return controlRun(ctx, args.id, 'workflow.run.retried', async (tx, run) => {
    if (run.status !== 'FAILED') throw new BadUserInputError(`Only a FAILED run can be retried; this one is ${run.status}.`, { field: 'id' });
    if ((await tx.workflowStepRun.count({ where: { runId: run.id } })) === 0) {
      throw new BadUserInputError('This run stopped before its first step (a loop or a limit); start a new run instead.', { field: 'id' });
    }
    const workflow = await tx.workflow.findUnique({ where: { id: run.workflowId } });
    if (!workflow || workflow.deletedAt) throw new BadUserInputError('The workflow was deleted; its runs cannot be retried.', { field: 'id' });
    return retryRun(tx, run, ctx.engine);
  });
}
