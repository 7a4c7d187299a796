import type { JobDefinition } from '@token-nexus/prisma';
import type { EngineSettings } from './engine-settings.ts';

/** Which step of which run a `workflows.step` job runs. */
export type StepJobPayload = { runId: string; key: string };

/**
 * One job per due step. The job runner's own retries only cover a job that could not
 * claim its step (another worker holds it) or whose worker died: a step's attempts and
 * backoff are the engine's, recorded on the step's row (see step-job.ts). The job's lease
 * is the step's, so a killed worker's step is taken over as soon as either runs out.
 */
export function stepJob(settings: Pick<EngineSettings, 'stepLeaseMs'>): JobDefinition<StepJobPayload> {
  return {
    queue: 'workflows.step',
    maxAttempts: 30,
    leaseMs: settings.stepLeaseMs,
    backoff: (attempt) => Math.min(settings.stepLeaseMs, 250 * 2 ** (attempt - 1)),
  };
}
