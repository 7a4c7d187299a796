import { auditedTransaction, type Prisma, type Workflow } from '@token-nexus/prisma';
import {
  actorScopes,
  afterNewestFirst,
  ConflictError,
  decodeNewestFirstCursor,
  NotFoundError,
  newestFirstCursorOf,
  newestFirstOrder,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { WorkflowsContext } from '../context.ts';
import type { StoredStep, WorkflowConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { parseWorkflowDefinition, type WorkflowDefinition } from '../validation/workflow-definition.ts';
import { sealSecretHeaders } from './step-secrets.ts';
import { cancelRun } from '../engine/run-control.ts';
import type { ChangedRun } from '../engine/run-updates.ts';
import { syncSchedule } from '../engine/schedule-keeper.ts';
import { newInboundSecret } from '../inbound/inbound-secret.ts';

const uuid = z.uuid('must be an id returned by this API');

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** What the audit trail keeps of a definition: no step inputs (they may hold secrets, even sealed). */
function auditedDefinition(workflow: Pick<Workflow, 'name' | 'version' | 'enabled' | 'trigger' | 'scopes' | 'steps'>) {
  const steps = workflow.steps as unknown as StoredStep[];
  return {
    name: workflow.name,
    version: workflow.version,
    enabled: workflow.enabled,
    trigger: workflow.trigger,
    scopes: workflow.scopes,
    steps: steps.map((step) => ({ key: step.key, type: step.type })),
  };
}

/** The row of a definition's version, as `WorkflowVersion.definition` keeps it. */
function versionDefinition(definition: WorkflowDefinition, sealed: StoredStep[]) {
  return json({ ...definition, steps: sealed });
}

/** A workflow the caller may read, or null (missing, deleted, or another organization's: the same to them). */
export async function findWorkflow(ctx: WorkflowsContext, rawId: unknown): Promise<Workflow | null> {
  const id = parseInput(uuid, rawId, 'id');
  const workflow = await ctx.prisma.workflow.findFirst({ where: { id, deletedAt: null } });
  if (!workflow || !(await policy.canRead(ctx, workflow.organizationId))) return null;
  return workflow;
}

/** A workflow the caller may change; NOT_FOUND when they cannot see it, FORBIDDEN when they only read. */
export async function requireManagedWorkflow(ctx: WorkflowsContext, rawId: unknown): Promise<Workflow> {
  const id = parseInput(uuid, rawId, 'id');
  const workflow = await ctx.prisma.workflow.findFirst({ where: { id, deletedAt: null } });
  if (!workflow) throw new NotFoundError('The workflow does not exist.');
  await policy.assertCanManage(ctx, workflow.organizationId, { byId: true });
  return workflow;
}

export async function listWorkflows(
  ctx: WorkflowsContext,
  args: { orgId: unknown; first?: number | null; after?: string | null },
): Promise<WorkflowConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await policy.assertCanRead(ctx, organizationId);
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.workflow.findMany({
    where: { organizationId, deletedAt: null, ...afterNewestFirst(page.after) },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  return toConnection(rows, page, newestFirstCursorOf);
}

export async function createWorkflow(ctx: WorkflowsContext, args: { orgId: unknown; input: unknown }): Promise<Workflow> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const createdById = policy.requireViewer(ctx);
  await policy.assertCanManage(ctx, organizationId, { byId: false });
  const definition = parseWorkflowDefinition(args.input, actorScopes(ctx.claims.actor));
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // The id is needed first: secret header values are bound to it when encrypted.
    const created = await tx.workflow.create({
      data: {
        organizationId,
        name: definition.name,
        description: definition.description,
        trigger: json(definition.trigger),
        steps: json([]),
        scopes: definition.scopes,
        createdById,
      },
    });
    const sealed = sealSecretHeaders(ctx.keys, created.id, definition.steps);
    const workflow = await tx.workflow.update({
      where: { id: created.id },
      data: { steps: json(sealed), inboundSecret: definition.trigger.type === 'INBOUND' ? newInboundSecret(ctx.keys, created.id) : null },
    });
    await syncSchedule(tx, workflow);
    await tx.workflowVersion.create({
      data: { workflowId: workflow.id, version: 1, definition: versionDefinition(definition, sealed), createdById },
    });
    audit({
      organizationId,
      action: 'workflow.created',
      target: { type: 'workflow', id: workflow.id },
      changes: { after: auditedDefinition(workflow) },
    });
    return workflow;
  });
}

export async function updateWorkflow(
  ctx: WorkflowsContext,
  args: { id: unknown; input: unknown; version: number },
): Promise<Workflow> {
  const before = await requireManagedWorkflow(ctx, args.id);
  const callerId = policy.requireViewer(ctx);
  const definition = parseWorkflowDefinition(args.input, actorScopes(ctx.claims.actor));
  const sealed = sealSecretHeaders(ctx.keys, before.id, definition.steps, before.steps as unknown as StoredStep[]);
  const stale = () =>
    new ConflictError(`The workflow changed since version ${args.version}: it is at version ${before.version}. Reload it and apply the change again.`, {
      currentVersion: before.version,
    });
  if (args.version !== before.version) throw stale();
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // Compare-and-set on the version: of two saves from the same version, one wins.
    const changed = await tx.workflow.updateMany({
      where: { id: before.id, version: args.version, deletedAt: null },
      data: {
        name: definition.name,
        description: definition.description,
        trigger: json(definition.trigger),
        steps: json(sealed),
        scopes: definition.scopes,
        version: { increment: 1 },
        // A workflow that becomes INBOUND gets a secret; one that stays keeps its own.
        ...(definition.trigger.type !== 'INBOUND'
          ? { inboundSecret: null }
          : before.inboundSecret
            ? {}
            : { inboundSecret: newInboundSecret(ctx.keys, before.id) }),
      },
    });
    if (changed.count === 0) {
      const current = await tx.workflow.findFirst({ where: { id: before.id, deletedAt: null }, select: { version: true } });
      if (!current) throw new NotFoundError('The workflow does not exist.');
      throw new ConflictError(`The workflow changed since version ${args.version}: it is at version ${current.version}. Reload it and apply the change again.`, {
        currentVersion: current.version,
      });
    }
    const after = await tx.workflow.findUniqueOrThrow({ where: { id: before.id } });
    await syncSchedule(tx, after);
    await tx.workflowVersion.create({
      data: { workflowId: after.id, version: after.version, definition: versionDefinition(definition, sealed), createdById: callerId },
    });
    audit({
      organizationId: after.organizationId,
      action: 'workflow.updated',
      target: { type: 'workflow', id: after.id },
      changes: { before: auditedDefinition(before), after: auditedDefinition(after) },
    });
    return after;
  });
}

export async function setWorkflowEnabled(ctx: WorkflowsContext, args: { id: unknown; enabled: boolean }): Promise<Workflow> {
  const before = await requireManagedWorkflow(ctx, args.id);
  if (before.enabled === args.enabled) return before;
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const after = await tx.workflow.update({ where: { id: before.id }, data: { enabled: args.enabled } });
    await syncSchedule(tx, after);
    audit({
      organizationId: after.organizationId,
      action: args.enabled ? 'workflow.enabled' : 'workflow.disabled',
      target: { type: 'workflow', id: after.id },
      changes: { before: { enabled: before.enabled }, after: { enabled: after.enabled } },
    });
    return after;
  });
}

export async function deleteWorkflow(ctx: WorkflowsContext, args: { id: unknown }): Promise<boolean> {
  const workflow = await requireManagedWorkflow(ctx, args.id);
  const changed: ChangedRun[] = [];
  await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    // Soft: the versions stay for the runs that started from them (see prisma/schema/workflows.prisma).
    const deleted = await tx.workflow.update({ where: { id: workflow.id }, data: { deletedAt: new Date(), enabled: false } });
    await syncSchedule(tx, deleted);
    // Its runs in progress stop with it: a deleted workflow acts no more.
    const active = await tx.workflowRun.findMany({ where: { workflowId: workflow.id, status: { in: ['QUEUED', 'RUNNING', 'WAITING'] } } });
    for (const run of active) changed.push(...(await cancelRun(tx, run, 'Cancelled: the workflow was deleted.', ctx.engine)));
    audit({
      organizationId: workflow.organizationId,
      action: 'workflow.deleted',
      target: { type: 'workflow', id: workflow.id },
      changes: { before: auditedDefinition(workflow) },
    });
  });
  ctx.notifyRuns(changed);
  return true;
}
