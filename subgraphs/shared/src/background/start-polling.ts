import type { Logger } from '../logging/logger.ts';

/**
 * Runs `round` every `intervalMs` until stopped: a background loop of a service (an outbox
 * reader, a keeper). A round that says more is waiting is followed at once; one that throws
 * is logged and the loop goes on at the next interval. `stop` waits for the round in progress.
 */
export function startPolling(intervalMs: number, logger: Logger, name: string, round: () => Promise<boolean>) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const go = async () => {
    try {
      while (!stopped && (await round()));
    } catch (error) {
      logger.warn({ err: error }, `${name} round failed; trying again next round`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = go().finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
