/**
 * Background jobs with retries, shared by every service: enqueue a job in the transaction
 * of the change that asks for it (jobs.jobs is the jobs' outbox), and start a runner on
 * every instance that should share the work. With Redis the runner is BullMQ's, fed by a
 * relay from the outbox; without it (the embedded mode) it works the table itself.
 */
export { defaultBackoff, type JobDefinition } from './job-definition.ts';
export { enqueueJob } from './enqueue-job.ts';
export type { JobContext, JobHandler } from './job-handler.ts';
export type { JobReport, JobRunner, JobRunnerOptions, JobState, QueueCounts } from './job-runner.ts';
export { startJobRunner } from './start-job-runner.ts';
export { startBullmqJobRunner, type BullmqRunnerOptions } from './bullmq/bullmq-job-runner.ts';
export { bullmqJobOptions } from './bullmq/bullmq-job-options.ts';
export { recoverLostJobs } from './bullmq/outbox-relay.ts';
export { startDatabaseJobRunner } from './database/database-job-runner.ts';
export { LeaseLostError, WorkerStoppingError } from './abort-reasons.ts';
export { JobDeferredError } from './job-deferred.ts';
export { eraseJobData, type JobDataErasure } from './erase-job-data.ts';
