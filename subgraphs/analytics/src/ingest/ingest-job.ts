import { enqueueJob, type JobDefinition, type JobHandler, type PrismaClient } from '@token-nexus/prisma';
import type { EventBus, Logger } from '@token-nexus/shared';
import { ingestRound } from './ingest-round.ts';
import { publishMetricChanges } from './metric-updates.ts';
import type { RawEventStore } from './raw-event-store.ts';
import { runMaintenance } from './maintenance.ts';
import type { IngestSource } from './sources/ingest-source.ts';

/**
 * The analytics background queue: one ingest job at a time, each running rounds for a
 * while. A short lease: an instance that dies hands the ingestion over within seconds,
 * and a job that loses its lease while alive only makes two run for a while (their rounds
 * take turns, see ingestRound).
 */
export const ingestJob: JobDefinition<Record<string, never>> = { queue: 'analytics', maxAttempts: 3, leaseMs: 5_000, untraced: true };

export interface IngestSettings {
  /** Rows each source reads at most per round. */
  batchSize: number;
  /** The pause between rounds that found little to do. */
  pollIntervalMs: number;
  /** How long one job runs rounds before handing over to the next job. */
  jobDurationMs: number;
  /** How often the raw events past retention and old bookkeeping are dropped. */
  maintenanceIntervalMs: number;
}

const ensureLockKey = 7_341_002_017;
/**
 * A job handed to BullMQ whose row has not moved for this long is taken as lost (its
 * instance was killed): jobs run `jobDurationMs` (a minute) and write their outcome back.
 * On the database transport, a running job whose lease ran out is taken as lost at once.
 */
const relayedJobLostAfterSeconds = 90;

/**
 * Makes sure the analytics queue holds a job that is waiting or running (other than
 * `exceptJobId`), enqueueing one if not. Under an advisory lock, so that instances that
 * look at once still make one job. Should a job thought lost still be running, two run
 * for a while: their rounds take turns, and only one hands over to a successor.
 */
export async function ensureIngestJob(prisma: PrismaClient, exceptJobId?: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // Taken before the check, in its own statement: the check's snapshot must see
    // whatever the previous holder of the lock committed.
    await tx.$executeRaw`/* analytics:background */ SELECT pg_advisory_xact_lock(${ensureLockKey}::bigint)`;
    const pending = await tx.$queryRaw<unknown[]>`/* analytics:background */
      SELECT 1 FROM jobs.jobs
      WHERE queue = ${ingestJob.queue}
        AND id <> ${exceptJobId ?? '00000000-0000-0000-0000-000000000000'}::uuid
        AND (status = 'QUEUED'
          OR (status = 'RUNNING' AND locked_until > now())
          OR (status = 'RELAYED' AND updated_at > now() - ${relayedJobLostAfterSeconds}::int * interval '1 second'))
      LIMIT 1`;
    if (pending.length > 0) return false;
    await enqueueJob(tx, ingestJob, {});
    return true;
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * The ingest job: rounds one after another (at once while sources are full, else after a
 * pause) for `jobDurationMs` or until its runner stops, then it enqueues its successor
 * and ends. A job that dies is retried by the runner; the keeper on every instance starts
 * a new one if none is left.
 */
export function ingestJobHandler(deps: {
  prisma: PrismaClient;
  sources: readonly IngestSource[];
  raw: RawEventStore;
  events: EventBus;
  logger: Logger;
  settings: IngestSettings;
}): JobHandler<Record<string, never>> {
  let lastMaintenance = 0;
  return {
    definition: ingestJob,
    async run(_payload, context) {
      const until = Date.now() + deps.settings.jobDurationMs;
      while (!context.signal.aborted && Date.now() < until) {
        if (Date.now() - lastMaintenance >= deps.settings.maintenanceIntervalMs) {
          lastMaintenance = Date.now();
          await runMaintenance(deps.prisma, deps.raw, deps.logger);
        }
        const outcome = await ingestRound(deps.prisma, deps.sources, deps.raw, { batchSize: deps.settings.batchSize });
        if (outcome.totals.length > 0) {
          await publishMetricChanges(deps.events, outcome.totals, new Date()).catch((error: unknown) =>
            deps.logger.warn({ err: error }, 'could not publish metric changes'),
          );
        }
        if (!outcome.full) await pause(deps.settings.pollIntervalMs, context.signal);
      }
      // Also when the runner is stopping: the successor waits in the database, where any
      // instance's runner takes it, rather than with this instance's queue.
      await ensureIngestJob(deps.prisma, context.jobId).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'could not enqueue the next analytics ingest job; the keeper will'),
      );
    },
  };
}
