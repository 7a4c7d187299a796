import type { PrismaClient } from '@token-nexus/prisma';
import type { MetricEvent } from './metric-event.ts';
import { microsToDecimal } from './rollup-writer.ts';
import type { IngestTransaction } from './sources/ingest-source.ts';

const dayMs = 24 * 3_600_000;

/** `events_20261205`: the partition holding one UTC day. */
function partitionName(day: number): string {
  return `events_${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function dayOf(time: number): number {
  return time - (((time % dayMs) + dayMs) % dayMs);
}

/**
 * Raw events that exist nowhere else (tracked events, request counts): one partition per
 * UTC day in the `analytics_raw` schema, so that dropping a day past the retention is
 * instant and leaves no dead rows behind. Prisma's schema language cannot declare
 * partitioned tables, so this module creates them (idempotently) instead of a migration.
 */
export function createRawEventStore(options: { retentionDays: number }) {
  const known = new Set<string>();

  /**
   * Creates the schema, the parent table and its index. `IF NOT EXISTS` does not make
   * concurrent creation safe (two instances starting together both see nothing and one
   * fails on the catalogue's unique index), so instances take turns under a lock.
   */
  async function ensureParent(prisma: PrismaClient) {
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`/* analytics:background */ SELECT pg_advisory_xact_lock(hashtext('analytics_raw.events'))`;
      await createParent(tx);
    });
  }

  async function createParent(tx: IngestTransaction) {
    await tx.$executeRawUnsafe('/* analytics:background */ CREATE SCHEMA IF NOT EXISTS analytics_raw');
    await tx.$executeRawUnsafe(`/* analytics:background */ 
      CREATE TABLE IF NOT EXISTS analytics_raw.events (
        organization_id uuid NOT NULL,
        metric text NOT NULL,
        dimension text NOT NULL DEFAULT '',
        occurred_at timestamptz(3) NOT NULL,
        value numeric(90, 6) NOT NULL,
        subject text,
        details jsonb
      ) PARTITION BY RANGE (occurred_at)`);
    await tx.$executeRawUnsafe(
      '/* analytics:background */ CREATE INDEX IF NOT EXISTS events_org_metric_time ON analytics_raw.events (organization_id, metric, occurred_at)',
    );
  }

  async function ensurePartition(tx: IngestTransaction, day: number) {
    const name = partitionName(day);
    if (known.has(name)) return;
    // Remembered only once seen committed: a partition created in a round that rolled
    // back does not exist.
    const existing = await tx.$queryRaw<{ found: string | null }[]>`/* analytics:background */
      SELECT to_regclass(${`analytics_raw.${name}`})::text AS found`;
    if (existing[0]?.found) {
      known.add(name);
      return;
    }
    await tx.$executeRawUnsafe(
      `/* analytics:background */ CREATE TABLE IF NOT EXISTS analytics_raw.${name} PARTITION OF analytics_raw.events
       FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + dayMs).toISOString()}')`,
    );
  }

  return {
    /** How many days raw events are kept. */
    retentionDays: options.retentionDays,

    /** Creates the parent table; called once when the service starts. */
    ensureParent,

    /** The first instant whose raw events are still kept. */
    retainedSince(now: Date): Date {
      return new Date(dayOf(now.getTime()) - options.retentionDays * dayMs);
    },

    /** Stores the events that fall inside the retention period (older ones only count in rollups). */
    async insert(tx: IngestTransaction, events: readonly MetricEvent[], now: Date) {
      const since = this.retainedSince(now).getTime();
      const kept = events.filter((event) => event.occurredAt.getTime() >= since);
      if (kept.length === 0) return;
      for (const day of new Set(kept.map((event) => dayOf(event.occurredAt.getTime())))) {
        await ensurePartition(tx, day);
      }
      await tx.$executeRaw`/* analytics:background */
        INSERT INTO analytics_raw.events (organization_id, metric, dimension, occurred_at, value, subject, details)
        SELECT * FROM unnest(${kept.map((e) => e.organizationId)}::uuid[], ${kept.map((e) => e.metric)}::text[],
          ${kept.map((e) => e.dimensions[0] ?? '')}::text[], ${kept.map((e) => e.occurredAt)}::timestamptz[],
          ${kept.map((e) => microsToDecimal(e.micros))}::numeric[], ${kept.map((e) => e.subject ?? null)}::text[],
          ${kept.map((e) => (e.details === undefined || e.details === null ? null : JSON.stringify(e.details)))}::jsonb[])`;
    },

    /** Drops the partitions of days before the retention period; returns their names. */
    async dropExpired(tx: IngestTransaction, now: Date): Promise<string[]> {
      const oldest = partitionName(this.retainedSince(now).getTime());
      const partitions = await tx.$queryRaw<{ name: string }[]>`/* analytics:background */
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'analytics_raw' AND p.relname = 'events'`;
      const expired = partitions.map((p) => p.name).filter((name) => /^events_\d{8}$/.test(name) && name < oldest);
      for (const name of expired) {
        await tx.$executeRawUnsafe(`/* analytics:background */ DROP TABLE IF EXISTS analytics_raw.${name}`);
        known.delete(name);
      }
      return expired;
    },
  };
}

export type RawEventStore = ReturnType<typeof createRawEventStore>;
