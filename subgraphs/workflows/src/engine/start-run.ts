import { randomUUID } from 'node:crypto';
import { enqueueJob, type Prisma, type Workflow } from '@token-nexus/prisma';
import type { StoredStep, TriggerType } from '../models.ts';
import { defaultMaxAttempts } from '../validation/workflow-definition.ts';
import { maxCausationDepth, type EngineSettings } from './engine-settings.ts';
import { loadVersionDefinition, stepOf } from './run-definition.ts';
import type { ChangedRun } from './run-updates.ts';
import { stepJob } from './step-job-definition.ts';

type Tx = Prisma.TransactionClient;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** What starts a run. */
export interface RunStart {
  type: TriggerType;
  /** What steps read as `trigger`. */
  payload: Record<string, unknown>;
  /** Makes the start unique for the workflow (see WorkflowRun.dedupeKey); none for manual runs. */
  dedupeKey?: string | null;
  /** The runs behind the event that started it, oldest first. */
  causation?: readonly string[];
  requestedById?: string | null;
}

/** The run a start made, or found made already (`created: false`: the same start again). */
export interface StartedRun {
  id: string;
  created: boolean;
  /** Runs whose state changed, to tell subscribers once the transaction commits. */
  changed: ChangedRun[];
}

/**
 * Creates a run of the workflow's current version, in the caller's transaction, and starts
 * it when the organization has room (else it waits QUEUED). A start whose dedupe key the
 * workflow has seen creates nothing. A chain of runs deeper than five fails at once: a
 * workflow whose step causes its own trigger event (or two feeding each other) stops there.
 */
export async function startRun(tx: Tx, workflow: Workflow, start: RunStart, settings: EngineSettings): Promise<StartedRun> {
  const id = randomUUID();
  const causation = [...(start.causation ?? [])];
  const loop = causation.length + 1 > maxCausationDepth;
  const now = new Date();
  const inserted = await tx.workflowRun.createMany({
    data: [
      {
        id,
        organizationId: workflow.organizationId,
        workflowId: workflow.id,
        version: workflow.version,
        triggerType: start.type,
        triggerPayload: json(start.payload),
        dedupeKey: start.dedupeKey ?? null,
        causation,
        requestedById: start.requestedById ?? null,
        ...(loop
          ? {
              status: 'FAILED' as const,
              finishedAt: now,
              error: `Loop stopped: this run would be number ${causation.length + 1} in a chain of workflow runs each started by an event the previous one caused (runs ${causation.join(', ')}); a chain may hold at most ${maxCausationDepth}.`,
            }
          : {}),
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    const existing = await tx.workflowRun.findUniqueOrThrow({
      where: { workflowId_dedupeKey: { workflowId: workflow.id, dedupeKey: start.dedupeKey! } },
      select: { id: true },
    });
    return { id: existing.id, created: false, changed: [] };
  }
  const self: ChangedRun = { id, organizationId: workflow.organizationId, workflowId: workflow.id };
  if (loop) return { id, created: true, changed: [self] };
  const admitted = await admitRuns(tx, workflow.organizationId, settings);
  return { id, created: true, changed: [self, ...admitted.filter((run) => run.id !== id)] };
}

/**
 * Starts the organization's waiting runs, oldest first, while fewer than the limit are in
 * progress (RUNNING or WAITING). Serialized per organization by a transaction lock, so two
 * instances finishing runs at once cannot both fill the same free place.
 */
export async function admitRuns(tx: Tx, organizationId: string, settings: EngineSettings): Promise<ChangedRun[]> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`workflows.admit:${organizationId}`}))`;
  const active = await tx.workflowRun.count({ where: { organizationId, status: { in: ['RUNNING', 'WAITING'] } } });
  const free = settings.maxConcurrentRuns - active;
  if (free <= 0) return [];
  const waiting = await tx.workflowRun.findMany({
    where: { organizationId, status: 'QUEUED' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: free,
  });
  for (const run of waiting) await beginRun(tx, run, settings);
  return waiting.map((run) => ({ id: run.id, organizationId, workflowId: run.workflowId }));
}

/** Moves a QUEUED run to RUNNING and queues its step: the first, or the one a retry resumes from. */
async function beginRun(
  tx: Tx,
  run: { id: string; workflowId: string; version: number; currentStep: string | null; startedAt: Date | null },
  settings: EngineSettings,
): Promise<void> {
  const definition = await loadVersionDefinition(tx, run.workflowId, run.version);
  const step = run.currentStep ? stepOf(definition, run.currentStep) : definition.steps[0]!;
  const now = new Date();
  await tx.workflowRun.update({
    where: { id: run.id },
    data: {
      status: 'RUNNING',
      startedAt: run.startedAt ?? now,
      deadlineAt: new Date(now.getTime() + settings.maxRunMs),
      currentStep: step.key,
    },
  });
  await queueStep(tx, run.id, step, settings);
}

/**
 * Makes a step of the run due and enqueues the job that runs it, in the caller's
 * transaction (the job exists if and only if the step's row says it is due). A step
 * queued again (a retried run) gets its attempts afresh on top of those it made.
 */
export async function queueStep(tx: Tx, runId: string, step: StoredStep, settings: EngineSettings, runAt?: Date): Promise<void> {
  const maxAttempts = step.maxAttempts ?? defaultMaxAttempts;
  const existing = await tx.workflowStepRun.findUnique({ where: { runId_key: { runId, key: step.key } } });
  if (existing) {
    await tx.workflowStepRun.update({
      where: { id: existing.id },
      data: { status: 'QUEUED', attemptLimit: existing.attempts + maxAttempts, notBefore: runAt ?? null, leaseUntil: null, finishedAt: null },
    });
  } else {
    const reached = await tx.workflowStepRun.count({ where: { runId } });
    await tx.workflowStepRun.create({
      data: { runId, key: step.key, type: step.type, attemptLimit: maxAttempts, sequence: reached + 1, notBefore: runAt ?? null },
    });
  }
  await enqueueJob(tx, stepJob(settings), { runId, key: step.key }, runAt ? { runAt } : {});
}
