import { randomUUID } from 'node:crypto';
import { createRawEventStore } from '@token-nexus/analytics/ingest';
import { openDatabase, type Database } from '@token-nexus/prisma';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { runEntryPoint } from '../testkit/run-entry-point.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { createOrganization, signUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const dayMs = 86_400_000;
const fixture = useTestGraph({ ANALYTICS_RETENTION_DAYS: '10' });

describe('raw events', () => {
  let scratch: ScratchDatabase;
  let database: Database;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    expect((await runEntryPoint('prisma/src/cli/migrate.ts', [], { DATABASE_URL: scratch.url })).code).toBe(0);
    database = await openDatabase({ kind: 'postgres', url: scratch.url });
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  async function partitions(): Promise<string[]> {
    const rows = await database.prisma.$queryRaw<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events' ORDER BY 1`;
    return rows.map((row) => row.name);
  }

  test('live in one partition per UTC day, are kept for the retention period, and whole days past it are dropped', async () => {
    const now = new Date('2026-12-05T12:00:00Z');
    const organizationId = randomUUID();
    const event = (daysAgo: number) => ({
      organizationId,
      metric: 'cms.page.views' as const,
      dimensions: ['page=page-1'],
      occurredAt: new Date(now.getTime() - daysAgo * dayMs),
      micros: 1_000_000n,
      subject: `visitor-${daysAgo}`,
    });
    const keeping30 = createRawEventStore({ retentionDays: 30 });
    await keeping30.ensureParent(database.prisma);
    await database.prisma.$transaction((tx) => keeping30.insert(tx, [event(40), event(20), event(2), event(0)], now));
    // The event 40 days old is past the 30 days kept: it was never stored raw.
    expect(await partitions()).toEqual(['events_20261115', 'events_20261203', 'events_20261205']);
    const keeping7 = createRawEventStore({ retentionDays: 7 });
    const dropped = await database.prisma.$transaction((tx) => keeping7.dropExpired(tx, now));
    expect(dropped).toEqual(['events_20261115']);
    expect(await partitions()).toEqual(['events_20261203', 'events_20261205']);
    const left = await database.prisma.$queryRaw<{ subject: string }[]>`
      SELECT subject FROM analytics_raw.events WHERE organization_id = ${organizationId}::uuid ORDER BY subject`;
    expect(left.map((row) => row.subject)).toEqual(['visitor-0', 'visitor-2']);
  });

  test('a metric counted from raw events cannot be asked about before the retention period', async () => {
    const owner = await signUpUser(fixture.graph.client);
    const { id: orgId } = await createOrganization(owner);
    const read = `query ($orgId: ID!, $from: DateTime!, $to: DateTime!) {
      metricSeries(orgId: $orgId, name: "cms.page.visitors", from: $from, to: $to, interval: DAY) { total }
    }`;
    const now = Date.now();
    const tooOld = await owner.client.request(read, {
      orgId,
      from: new Date(now - 20 * dayMs).toISOString(),
      to: new Date(now).toISOString(),
    });
    expect(errorCodes(tooOld)).toEqual(['BAD_USER_INPUT']);
    expect(tooOld.errors?.[0]?.message).toContain('kept 10 days');
    const recent = await owner.client.request(read, { orgId, from: new Date(now - 5 * dayMs).toISOString(), to: new Date(now).toISOString() });
    expect(recent.errors).toBeUndefined();
    expect(recent.data?.metricSeries).toEqual([{ total: 0 }]);
    // Rollup metrics have no such limit.
    const rollups = await owner.client.request(
      `query ($orgId: ID!) { metricSummary(orgId: $orgId, name: "cms.page.views", range: { last: "365d" }) { value } }`,
      { orgId },
    );
    expect(rollups.errors).toBeUndefined();
  });
});
