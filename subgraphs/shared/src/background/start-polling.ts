import type { Logger } from '../logging/logger.ts';

/**
 * Runs `round` every `intervalMs` until stopped: a background loop of a service (an outbox
 * reader, a keeper). A round that says more is waiting is followed at once; one that throws
 * is logged and the loop goes on at the next interval. `wake` starts the next round now
 * (or right after the one in progress), for news that should not wait for the interval.
 * `stop` waits for the round in progress.
 */
export function startPolling(intervalMs: number, logger: Logger, name: string, round: () => Promise<boolean>) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let inRound = false;
  let woken = false;
  const go = async () => {
    inRound = true;
    try {
      do woken = false;
      while (!stopped && ((await round()) || woken));
    } catch (error) {
      logger.warn({ err: error }, `${name} round failed; trying again next round`);
    } finally {
      inRound = false;
    }
  };
  const schedule = () => {
    if (stopped) return;
    // A wake between a round's end and this call has started another: one timer only.
    clearTimeout(timer);
    timer = setTimeout(() => {
      // A woken round is under way: it schedules the next when it ends.
      if (inRound) return;
      running = go().finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    wake: () => {
      if (stopped) return;
      if (inRound) {
        woken = true;
        return;
      }
      clearTimeout(timer);
      running = go().finally(schedule);
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
