import { setTimeout as delay } from 'node:timers/promises';

/**
 * The handlers a runner has running, each with the controller of its signal, so that a
 * stopping runner can abort them all and wait for them, up to a timeout.
 */
export class RunningJobs {
  readonly #running = new Map<AbortController, Promise<unknown>>();
  #stopReason: Error | undefined;

  /**
   * Runs `attempt` with a signal of its own. Once {@link abortAll} has been called, the
   * signal of every attempt started afterwards is aborted from the start.
   */
  run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.#stopReason) {
      controller.abort(this.#stopReason);
    }
    const running = attempt(controller.signal).finally(() => this.#running.delete(controller));
    this.#running.set(controller, running.catch(() => undefined));
    return running;
  }

  /** Aborts every running attempt's signal, and those of attempts still to start, with `reason`. */
  abortAll(reason: Error): void {
    this.#stopReason = reason;
    for (const controller of this.#running.keys()) {
      controller.abort(reason);
    }
  }

  /** Resolves true once no attempt is running, or false after `timeoutMs` if some still are. */
  async settled(timeoutMs: number): Promise<boolean> {
    return Promise.race([
      Promise.all(this.#running.values()).then(() => true),
      delay(timeoutMs, false, { ref: false }),
    ]);
  }

  get size(): number {
    return this.#running.size;
  }
}
