/**
 * Why a handler's signal was aborted (its `reason`). The worker tells the two apart: a
 * handler cut short by a stopping worker is given back without using up an attempt.
 */
export class WorkerStoppingError extends Error {
  override name = 'WorkerStoppingError';
  constructor() {
    super('The job worker is stopping');
  }
}

/** See {@link WorkerStoppingError}: the job is no longer this worker's to run. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}
