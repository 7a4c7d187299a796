import { performance } from 'node:perf_hooks';

/**
 * Resolves after `ms`, never earlier (Node timers may fire up to a millisecond before the
 * monotonic clock says they should, and a server's `retry-after` is a minimum), or
 * rejects with `signal.reason` as soon as `signal` aborts.
 */
export function abortableWait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const deadline = performance.now() + ms;
    let timer: NodeJS.Timeout;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const check = () => {
      const left = deadline - performance.now();
      if (left > 0) {
        timer = setTimeout(check, Math.ceil(left));
        return;
      }
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(check, Math.ceil(ms));
  });
}
