/**
 * A job runner process that takes one job and never finishes it, for the job runner
 * tests to kill mid-job with SIGKILL: nothing gets to clean up, as when an instance dies.
 * Prints `running <job id> <attempt>` once its handler has started.
 *
 * Environment: DATABASE_URL, JOB_QUEUE, JOB_LEASE_MS; REDIS_URL and JOB_KEY_PREFIX for
 * the BullMQ transport (without REDIS_URL, the database's).
 */
import { openDatabase, startJobRunner } from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';

const { DATABASE_URL, JOB_QUEUE, JOB_LEASE_MS, REDIS_URL, JOB_KEY_PREFIX } = process.env;
if (!DATABASE_URL || !JOB_QUEUE || !JOB_LEASE_MS) {
  throw new Error('DATABASE_URL, JOB_QUEUE and JOB_LEASE_MS are required');
}
const database = await openDatabase({ kind: 'postgres', url: DATABASE_URL });
startJobRunner(
  database.prisma,
  [
    {
      definition: { queue: JOB_QUEUE, leaseMs: Number(JOB_LEASE_MS) },
      run: async (_payload: unknown, context) => {
        console.log(`running ${context.jobId} ${context.attempt}`);
        await new Promise(() => {});
      },
    },
  ],
  { pollIntervalMs: 20, redisUrl: REDIS_URL, keyPrefix: JOB_KEY_PREFIX ?? '', logger: createLogger('abandoned-worker', 'silent') },
);
