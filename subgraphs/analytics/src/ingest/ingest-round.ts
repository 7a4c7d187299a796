import type { PrismaClient } from '@token-nexus/prisma';
import type { MetricEvent } from './metric-event.ts';
import type { RawEventStore } from './raw-event-store.ts';
import { writeRollups, type RollupTotal } from './rollup-writer.ts';
import type { IngestSource } from './sources/ingest-source.ts';

/** What one round counted. */
export interface RoundOutcome {
  /** False when another instance was ingesting: this round did nothing. */
  ran: boolean;
  events: number;
  /** Whether a source stopped at its limit: more is waiting. */
  full: boolean;
  /** The totals the round moved, for live updates. */
  totals: RollupTotal[];
}

/** The advisory lock only one ingesting transaction holds at a time, across instances. */
const ingestLockKey = 7_341_002_016;

/**
 * One ingest round, in one transaction: read every source from its cursor, store the raw
 * events, add everything to the rollups, move every cursor. A round that fails or whose
 * process dies leaves nothing behind, so each event is counted exactly once. Rounds on
 * different instances take turns (an advisory lock); one that finds the lock taken
 * returns at once.
 */
export async function ingestRound(
  prisma: PrismaClient,
  sources: readonly IngestSource[],
  raw: RawEventStore,
  options: { batchSize: number; beforeCommit?: (events: readonly MetricEvent[]) => Promise<void> },
): Promise<RoundOutcome> {
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean; now: Date }[]>`/* analytics:background */
        SELECT pg_try_advisory_xact_lock(${ingestLockKey}::bigint) AS locked, now() AS now`;
      if (!lock?.locked) return { ran: false, events: 0, full: false, totals: [] };
      // A round lost to a crash after its commit (before the WAL reached disk) takes its
      // cursors back with it, and is simply counted again: no need to wait for the flush.
      await tx.$executeRaw`/* analytics:background */ SET LOCAL synchronous_commit = off`;
      const events: MetricEvent[] = [];
      const rawEvents: MetricEvent[] = [];
      let full = false;
      for (const source of sources) {
        const batch = await source.read(tx, options.batchSize);
        events.push(...batch.events);
        if (batch.rawEvents) rawEvents.push(...batch.rawEvents);
        full ||= batch.full;
      }
      await raw.insert(tx, rawEvents, lock.now);
      const totals = await writeRollups(tx, events);
      await options.beforeCommit?.(events);
      return { ran: true, events: events.length, full, totals };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
