/**
 * Thrown by a handler to run the job again at `runAt` without spending an attempt: the
 * job cannot make progress now for a reason outside it (the chain it writes to has no
 * endpoint answering, say), and failing it, however many times, would not help. The job
 * keeps its id, its row and the attempts it has left; `lastError` says why it waits.
 */
export class JobDeferredError extends Error {
  override name = 'JobDeferredError';

  constructor(
    readonly runAt: Date,
    message: string,
  ) {
    super(message);
  }
}
