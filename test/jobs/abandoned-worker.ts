/**
 * A job worker process that takes one job and never finishes it, for job-runner.test.ts
 * to kill mid-job with SIGKILL: nothing gets to clean up, as when an instance dies.
 * Prints `running <job id> <attempt>` once its handler has started.
 *
 * Environment: DATABASE_URL, JOB_QUEUE, JOB_LEASE_MS.
 */
import { openDatabase, startJobWorker } from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';

const { DATABASE_URL, JOB_QUEUE, JOB_LEASE_MS } = process.env;
if (!DATABASE_URL || !JOB_QUEUE || !JOB_LEASE_MS) {
  throw new Error('DATABASE_URL, JOB_QUEUE and JOB_LEASE_MS are required');
}
const database = await openDatabase({ kind: 'postgres', url: DATABASE_URL });
startJobWorker(
  database.prisma,
  [
    {
      definition: { queue: JOB_QUEUE, leaseMs: Number(JOB_LEASE_MS) },
      run: async (_payload, context) => {
        console.log(`running ${context.jobId} ${context.attempt}`);
        await new Promise(() => {});
      },
    },
  ],
  { pollIntervalMs: 20, logger: createLogger('abandoned-worker', 'silent') },
);
