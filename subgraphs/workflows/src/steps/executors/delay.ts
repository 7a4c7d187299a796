import { StepFailedError, type StepExecutor } from '../../engine/step-execution.ts';

/** The longest a delay may wait, as the step type promises (`at most 30 days`). */
export const maxDelayMs = 30 * 24 * 60 * 60 * 1000;

const durationPattern = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const unitMs = [24 * 60 * 60 * 1000, 60 * 60 * 1000, 60 * 1000, 1000] as const;

/**
 * Milliseconds of an ISO 8601 duration in the subset delay steps take (`P1DT2H30M`,
 * `PT15M`: days, hours, minutes, seconds). A day is 24 hours: runs are scheduled on UTC
 * instants, where a calendar day across a DST change is not a thing.
 *
 * @throws Error when the text is not such a duration.
 */
export function delayDurationMs(duration: string): number {
  const parts = durationPattern.exec(duration);
  if (!parts) throw new Error(`${JSON.stringify(duration)} is not a duration like P1DT2H30M`);
  return unitMs.reduce((total, ms, index) => total + Number(parts[index + 1] ?? 0) * ms, 0);
}

/**
 * When a delay step is over: its `until`, or its `duration` after the step's first start.
 * Pure, so a step woken early, retried or taken over by another worker computes the same
 * instant instead of starting its wait over.
 *
 * @throws Error when the duration is malformed or longer than 30 days, or `until` is not a date.
 */
export function delayUntil(input: { duration?: unknown; until?: unknown }, startedAt: Date): Date {
  if (typeof input.until === 'string') {
    const until = new Date(input.until);
    if (Number.isNaN(until.getTime())) throw new Error(`until: ${JSON.stringify(input.until)} is not a date and time`);
    return until;
  }
  const ms = delayDurationMs(String(input.duration));
  // The input schema checks the shape only; the 30-day bound is kept here.
  if (ms > maxDelayMs) throw new Error(`duration: ${String(input.duration)} is longer than 30 days`);
  return new Date(startedAt.getTime() + ms);
}

/** Waits until {@link delayUntil}, then goes on with `{ waitedUntil }` (an ISO 8601 instant). */
export const runDelay: StepExecutor = async ({ step, stepStartedAt }) => {
  let until: Date;
  try {
    until = delayUntil(step.input, stepStartedAt);
  } catch (error) {
    throw new StepFailedError(`Step ${step.key}: ${(error as Error).message}`, { retryable: false, code: 'BAD_USER_INPUT' });
  }
  if (Date.now() < until.getTime()) return { kind: 'wait', until };
  return { kind: 'done', output: { waitedUntil: until.toISOString() } };
};
