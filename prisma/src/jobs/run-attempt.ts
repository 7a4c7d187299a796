import type { Logger } from '@token-nexus/shared';
import { WorkerStoppingError } from './abort-reasons.ts';
import { defaultBackoff, type JobSettings } from './job-definition.ts';
import type { JobContext, JobHandler } from './job-handler.ts';

/*
 * The steps of one attempt that both transports take the same way.
 */

/** Runs the handler; its failure, as an Error, or undefined when it succeeded. */
export async function runHandler(
  handler: JobHandler<unknown>,
  payload: unknown,
  context: JobContext,
): Promise<Error | undefined> {
  try {
    await handler.run(payload, context);
    return undefined;
  } catch (error) {
    return asError(error);
  }
}

/** Calls `onExhausted`, if any; its own failure is logged, never thrown. */
export async function callOnExhausted(
  handler: JobHandler<unknown>,
  payload: unknown,
  failure: Error,
  context: JobContext,
  logger: Logger,
): Promise<void> {
  try {
    await handler.onExhausted?.(payload, failure, context);
  } catch (error) {
    logger.error({ err: error }, 'onExhausted failed; the job is marked FAILED all the same');
  }
}

/** Whether the handler was cut short because its runner is stopping (not by its own failure). */
export function stoppedByRunner(signal: AbortSignal): boolean {
  return signal.reason instanceof WorkerStoppingError;
}

/** The definition's backoff, or the default one should it throw or return nonsense. */
export function retryDelay(settings: JobSettings, attempt: number, logger: Logger): number {
  try {
    const delay = settings.backoff(attempt);
    if (Number.isFinite(delay) && delay >= 0) {
      return delay;
    }
    logger.error({ delay }, 'The backoff returned no usable delay; using the default');
  } catch (error) {
    logger.error({ err: error }, 'The backoff threw; using the default');
  }
  return defaultBackoff(attempt);
}

export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

const lastErrorLength = 2000;

/** An error as the job's `lastError` keeps it: its message, cut to 2000 characters. */
export function describeError(error: Error): string {
  const message = error.message || error.name;
  if (message.length <= lastErrorLength) {
    return message;
  }
  const cut = message.slice(0, lastErrorLength);
  // Do not leave half of a surrogate pair (an emoji, say) at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
