/**
 * Background jobs with retries, shared by every service: enqueue a job in the transaction
 * of the change that asks for it, and run a worker on every instance that should share
 * the work. Jobs are rows of jobs.jobs; see job-worker.ts for how they are run.
 */
export { defaultBackoff, type JobDefinition } from './job-definition.ts';
export { enqueueJob } from './enqueue-job.ts';
export type { JobContext, JobHandler } from './job-handler.ts';
export { startJobWorker, type JobWorker, type WorkerOptions } from './job-worker.ts';
export { LeaseLostError, WorkerStoppingError } from './abort-reasons.ts';
