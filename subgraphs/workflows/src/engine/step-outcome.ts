import { enqueueJob, type Prisma, type PrismaClient } from '@token-nexus/prisma';
import { mailSendJob, type MailJobPayload } from '@token-nexus/shared';
import type { StoredStep } from '../models.ts';
import type { EngineSettings } from './engine-settings.ts';
import { stepOf, type VersionDefinition } from './run-definition.ts';
import type { ChangedRun } from './run-updates.ts';
import { admitRuns, queueStep } from './start-run.ts';
import { StepFailedError, type StepDone, type StepOutcome } from './step-execution.ts';
import { stepJob } from './step-job-definition.ts';

type Tx = Prisma.TransactionClient;

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** The attempt whose outcome is recorded: who ran it, and with which definition. */
export interface FinishedAttempt {
  runId: string;
  step: StoredStep;
  /** The attempt number the worker claimed; a step taken over since is no longer this worker's. */
  attempts: number;
  attemptLimit: number;
  definition: VersionDefinition;
}

interface LockedRun {
  organizationId: string;
  workflowId: string;
  status: string;
  variables: Record<string, unknown>;
  deadlineAt: Date | null;
}

/**
 * Records what one attempt of a step came to, and moves the run on, in one transaction:
 * the step's row, the run's variables, the next step's job (or the run's end, and the
 * start of runs waiting for its place), an email for the mailer. The run's row is locked
 * first, so a cancellation and an outcome never cross. An outcome of an attempt that is
 * no longer the step's (the run was cancelled, or another worker took the step over) is
 * dropped. Returns the runs whose state changed.
 */
export async function recordStepOutcome(
  prisma: PrismaClient,
  attempt: FinishedAttempt,
  result: StepOutcome | Error,
  settings: EngineSettings,
): Promise<ChangedRun[]> {
  return prisma.$transaction(async (tx) => {
    const run = await lockRun(tx, attempt.runId);
    if (!run || !['RUNNING', 'WAITING'].includes(run.status)) return [];
    const mine = await tx.workflowStepRun.count({
      where: { runId: attempt.runId, key: attempt.step.key, status: 'RUNNING', attempts: attempt.attempts },
    });
    if (mine === 0) return [];
    const self: ChangedRun = { id: attempt.runId, organizationId: run.organizationId, workflowId: run.workflowId };
    if (result instanceof Error) return recordFailure(tx, attempt, run, self, result, settings);
    if (result.kind === 'wait') {
      // A wait that would outlast the run's time limit is woken at the limit, where the
      // attempt fails with TIME_LIMIT (step-job.ts): the run must not hold its place in the
      // organization's runs, WAITING, for the rest of a wait it can never finish.
      const wakeAt = run.deadlineAt && run.deadlineAt < result.until ? run.deadlineAt : result.until;
      await updateStep(tx, attempt, { status: 'WAITING', notBefore: wakeAt, leaseUntil: null });
      await tx.workflowRun.update({ where: { id: attempt.runId }, data: { status: 'WAITING' } });
      await enqueueJob(tx, stepJob(settings), { runId: attempt.runId, key: attempt.step.key }, { runAt: wakeAt });
      return [self];
    }
    const tooBig = sizeProblem(result, run.variables, settings);
    if (tooBig) return recordFailure(tx, attempt, run, self, new StepFailedError(tooBig, { retryable: false, code: 'LIMIT_EXCEEDED' }), settings);
    return recordSuccess(tx, attempt, run, self, result, settings);
  });
}

async function lockRun(tx: Tx, runId: string): Promise<LockedRun | null> {
  const rows = await tx.$queryRaw<LockedRun[]>`
    SELECT organization_id AS "organizationId", workflow_id AS "workflowId", status::text AS status, variables,
      deadline_at AS "deadlineAt"
    FROM workflows.workflow_runs WHERE id = ${runId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

function updateStep(tx: Tx, attempt: FinishedAttempt, data: Prisma.WorkflowStepRunUpdateManyMutationInput) {
  return tx.workflowStepRun.updateMany({ where: { runId: attempt.runId, key: attempt.step.key }, data });
}

/** Why the outcome is too big to keep, or null. */
function sizeProblem(result: StepDone, variables: Record<string, unknown>, settings: EngineSettings): string | null {
  const outputBytes = Buffer.byteLength(JSON.stringify(result.output ?? null));
  if (outputBytes > settings.maxOutputBytes) {
    return `Its output is ${outputBytes} bytes, over the limit of ${settings.maxOutputBytes} bytes a step may leave.`;
  }
  const variablesBytes = Buffer.byteLength(JSON.stringify({ ...variables, ...result.variables }));
  if (variablesBytes > settings.maxOutputBytes * 4) {
    return `The run's variables would be ${variablesBytes} bytes, over the limit of ${settings.maxOutputBytes * 4} bytes.`;
  }
  return null;
}

async function recordSuccess(
  tx: Tx,
  attempt: FinishedAttempt,
  run: LockedRun,
  self: ChangedRun,
  result: StepDone,
  settings: EngineSettings,
): Promise<ChangedRun[]> {
  const now = new Date();
  await updateStep(tx, attempt, { status: 'SUCCEEDED', output: json(result.output ?? null), error: null, leaseUntil: null, finishedAt: now });
  if (result.mail) {
    const payload: MailJobPayload = { template: 'workflowMessage', data: { ...result.mail, workflowName: attempt.definition.name } };
    await enqueueJob(tx, mailSendJob, payload as unknown as Prisma.InputJsonValue);
  }
  const variables = result.variables ? { ...run.variables, ...result.variables } : run.variables;
  const next = result.next !== undefined ? result.next : attempt.step.next;
  if (next) {
    await tx.workflowRun.update({ where: { id: attempt.runId }, data: { status: 'RUNNING', variables: json(variables), currentStep: next } });
    await queueStep(tx, attempt.runId, stepOf(attempt.definition, next), settings);
    return [self];
  }
  await tx.workflowRun.update({
    where: { id: attempt.runId },
    data: { status: 'SUCCEEDED', variables: json(variables), currentStep: null, finishedAt: now },
  });
  return [self, ...(await admitRuns(tx, run.organizationId, settings))];
}

/** The error as the run shows it: `[CODE] message` when the step named a code. */
function describeFailure(error: Error): string {
  const code = error instanceof StepFailedError ? error.options.code : undefined;
  return code ? `[${code}] ${error.message}` : error.message;
}

async function recordFailure(
  tx: Tx,
  attempt: FinishedAttempt,
  run: LockedRun,
  self: ChangedRun,
  error: Error,
  settings: EngineSettings,
): Promise<ChangedRun[]> {
  const message = describeFailure(error);
  const retryable = !(error instanceof StepFailedError) || error.options.retryable;
  if (retryable && attempt.attempts < attempt.attemptLimit) {
    const delay = settings.retryBaseMs * 2 ** (attempt.attempts - 1);
    const runAt = new Date(Date.now() + delay);
    await updateStep(tx, attempt, { status: 'QUEUED', error: message, notBefore: runAt, leaseUntil: null });
    await tx.workflowRun.update({ where: { id: attempt.runId }, data: { status: 'RUNNING' } });
    await enqueueJob(tx, stepJob(settings), { runId: attempt.runId, key: attempt.step.key }, { runAt });
    return [self];
  }
  return failRun(tx, attempt.runId, attempt.step, run.organizationId, self, message, attempt.attempts, settings);
}

/** Fails the step and its run for good; `retryWorkflowRun` resumes from this step. */
export async function failRun(
  tx: Tx,
  runId: string,
  step: StoredStep,
  organizationId: string,
  self: ChangedRun,
  message: string,
  attempts: number,
  settings: EngineSettings,
): Promise<ChangedRun[]> {
  const now = new Date();
  await tx.workflowStepRun.updateMany({ where: { runId, key: step.key }, data: { status: 'FAILED', error: message, leaseUntil: null, finishedAt: now } });
  const tried = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  await tx.workflowRun.update({
    where: { id: runId },
    data: { status: 'FAILED', error: `Step "${step.key}" (${step.type}) failed after ${tried}: ${message}`, currentStep: step.key, finishedAt: now },
  });
  return [self, ...(await admitRuns(tx, organizationId, settings))];
}
