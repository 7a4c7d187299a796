import type { JobContext, JobHandler, PrismaClient, WorkflowRun } from '@token-nexus/prisma';
import type { Logger } from '@token-nexus/shared';
import { stepExecutors } from '../steps/executors/index.ts';
import type { EngineSettings } from './engine-settings.ts';
import { loadVersionDefinition, stepOf } from './run-definition.ts';
import type { RunNotifier } from './run-updates.ts';
import { claimStep, renewLease, unclaimedReason, type ClaimedStep } from './step-claim.ts';
import { StepFailedError, type RunScope, type StepDependencies, type StepOutcome } from './step-execution.ts';
import { stepJob, type StepJobPayload } from './step-job-definition.ts';
import { failRun, recordStepOutcome, type FinishedAttempt } from './step-outcome.ts';

export interface StepJobDependencies {
  prisma: PrismaClient;
  settings: EngineSettings;
  steps: StepDependencies;
  notify: RunNotifier;
  logger: Logger;
}

/**
 * Runs the `workflows.step` jobs: claims the step (or leaves it, when it is over or
 * another worker holds it), runs one attempt while renewing the step's lease, and records
 * the outcome. A worker killed mid-step stops renewing; once the lease runs out, the job
 * (run again by the job runner on any instance) takes the step over as a new attempt.
 */
export function stepJobHandler(deps: StepJobDependencies): JobHandler<StepJobPayload> {
  return {
    definition: stepJob(deps.settings),
    async run({ runId, key }, context) {
      const claimed = await claimStep(deps.prisma, runId, key, deps.settings.stepLeaseMs);
      if (!claimed) {
        if ((await unclaimedReason(deps.prisma, runId, key)) === 'over') return;
        throw new Error(`Step ${key} of run ${runId} is held by another worker or not due yet; trying again later.`);
      }
      const run = await deps.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } });
      const definition = await loadVersionDefinition(deps.prisma, run.workflowId, run.version);
      const attempt: FinishedAttempt = { runId, step: stepOf(definition, key), ...claimed, definition };
      deps.notify([run]);
      const result = await attemptStep(deps, run, attempt, claimed, context);
      deps.notify(await recordStepOutcome(deps.prisma, attempt, result, deps.settings));
    },
    async onExhausted({ runId, key }, error) {
      // The step could never be claimed or recorded (the database kept failing): the run
      // must not stay RUNNING for ever.
      const changed = await deps.prisma.$transaction(async (tx) => {
        const run = await tx.workflowRun.findUnique({ where: { id: runId } });
        if (!run || !['RUNNING', 'WAITING'].includes(run.status)) return [];
        const step = stepOf(await loadVersionDefinition(tx, run.workflowId, run.version), key);
        const self = { id: run.id, organizationId: run.organizationId, workflowId: run.workflowId };
        return failRun(tx, runId, step, run.organizationId, self, `[ENGINE] The step could not be run: ${error.message}`, 0, deps.settings);
      });
      deps.notify(changed);
    },
  };
}

/** One attempt, or why it is not made: a lost last attempt, the run's time limit. */
async function attemptStep(
  deps: StepJobDependencies,
  run: WorkflowRun,
  attempt: FinishedAttempt,
  claimed: ClaimedStep,
  context: JobContext,
): Promise<StepOutcome | Error> {
  if (claimed.attempts > claimed.attemptLimit) {
    return new StepFailedError('The worker running its last attempt stopped before it ended (its lease ran out).', {
      retryable: false,
      code: 'WORKER_LOST',
    });
  }
  if (run.deadlineAt && run.deadlineAt.getTime() < Date.now()) {
    const limit = Math.round(deps.settings.maxRunMs / 1000);
    return new StepFailedError(`The run went past its time limit of ${limit} s (WORKFLOWS_MAX_RUN_SECONDS).`, {
      retryable: false,
      code: 'TIME_LIMIT',
    });
  }
  return runHeld(deps, run, attempt, claimed, context);
}

/** Runs the step's executor while the lease is renewed; aborts it when the step is no longer ours. */
async function runHeld(
  deps: StepJobDependencies,
  run: WorkflowRun,
  attempt: FinishedAttempt,
  claimed: ClaimedStep,
  context: JobContext,
): Promise<StepOutcome | Error> {
  const lost = new AbortController();
  const renewal = setInterval(() => {
    renewLease(deps.prisma, run.id, attempt.step.key, claimed.attempts, deps.settings.stepLeaseMs).then(
      (held) => held || lost.abort(new Error('The step is no longer this worker\'s: the run was stopped or another worker took it over.')),
      (error: unknown) => deps.logger.warn({ err: error, runId: run.id }, 'could not renew a workflow step lease'),
    );
  }, Math.max(50, Math.floor(deps.settings.stepLeaseMs / 3)));
  try {
    const execution = {
      run: { id: run.id, organizationId: run.organizationId, workflowId: run.workflowId, version: run.version, causation: [...run.causation, run.id] },
      step: attempt.step,
      attempt: claimed.attempts,
      stepStartedAt: claimed.startedAt,
      scope: await scopeOf(deps.prisma, run),
      signal: AbortSignal.any([context.signal, lost.signal]),
    };
    return await stepExecutors[attempt.step.type](execution, deps.steps);
  } catch (error) {
    if (context.signal.aborted) {
      // The worker is stopping: give the attempt back, and the job runs again elsewhere.
      await releaseStep(deps.prisma, run.id, attempt.step.key, claimed.attempts);
      throw error;
    }
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearInterval(renewal);
  }
}

/** What the step's expressions and templates read. */
async function scopeOf(prisma: PrismaClient, run: WorkflowRun): Promise<RunScope> {
  const done = await prisma.workflowStepRun.findMany({ where: { runId: run.id, status: 'SUCCEEDED' }, select: { key: true, output: true } });
  return {
    trigger: run.triggerPayload as Record<string, unknown>,
    vars: run.variables as Record<string, unknown>,
    steps: Object.fromEntries(done.map((step) => [step.key, { output: step.output }])),
  };
}

/** Hands a step back unattempted (a stopping worker), so its next claim does not count a lost attempt. */
async function releaseStep(prisma: PrismaClient, runId: string, key: string, attempts: number): Promise<void> {
  await prisma.workflowStepRun.updateMany({
    where: { runId, key, status: 'RUNNING', attempts },
    data: { status: 'QUEUED', attempts: attempts - 1, leaseUntil: null },
  });
}
