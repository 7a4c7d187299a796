import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  bullmqJobOptions,
  enqueueJob,
  openDatabase,
  recoverLostJobs,
  startBullmqJobRunner,
  type Database,
  type JobDefinition,
  type JobRunner,
} from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, test, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';

/** What only the BullMQ transport has: the relay from the outbox, and keys of its own. */

let scratch: ScratchDatabase;
let database: Database;
let redis: Redis;
const prefix = `tnx-test-${randomUUID()}:jobs`;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await database.migrate();
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  redis?.disconnect();
  await database?.close();
  await scratch?.drop();
});

function startRunner(definition: JobDefinition<any>, run: () => Promise<void>, pollIntervalMs = 20): JobRunner {
  return startBullmqJobRunner(database.prisma, [{ definition, run }], {
    redisUrl: inject('redisUrl'),
    prefix,
    pollIntervalMs,
    logger: createLogger('bullmq-transport-test', 'silent'),
  });
}

test('a job a relay added to BullMQ before crashing, with its row still queued, runs once', async () => {
  const definition: JobDefinition<{ n: number }> = { queue: `relay-crash-${randomUUID()}` };
  const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
  // What the relay had done when it died: the job is in BullMQ, the row still QUEUED.
  const queue = new Queue(definition.queue, { connection: { url: inject('redisUrl') }, prefix });
  await queue.add(definition.queue, { n: 1 }, bullmqJobOptions(id, 5, 0));
  await queue.close();
  expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'QUEUED' });

  let runs = 0;
  const runner = startRunner(definition, async () => {
    runs += 1;
    // Still running when the relay (on its next round) adds the row again.
    await delay(200);
  });
  try {
    await vi.waitFor(async () => expect((await runner.status(id))?.state).toBe('completed'), { timeout: 10_000, interval: 20 });
    await delay(300);
    expect(runs).toBe(1);
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  } finally {
    await runner.close();
  }
});

test('jobs BullMQ lost (Redis restarted empty) go back to the outbox and run; jobs it holds are left alone', async () => {
  const definition: JobDefinition<{ n: number }> = { queue: `lost-${randomUUID()}` };
  const runAt = new Date(Date.now() + 60_000);
  const lost = await enqueueJob(database.prisma, definition, { n: 1 }, { runAt });
  const kept = await enqueueJob(database.prisma, definition, { n: 2 }, { runAt });
  // A runner whose poll reaches a minute ahead relays both, as delayed jobs, and stops.
  const relaying = startRunner(definition, async () => {}, 61_000);
  await vi.waitFor(async () => expect(await database.prisma.job.count({ where: { queue: definition.queue, status: 'RELAYED' } })).toBe(2), {
    timeout: 10_000,
    interval: 20,
  });
  await relaying.close();
  const queue = new Queue(definition.queue, { connection: { url: inject('redisUrl') }, prefix });
  try {
    await queue.remove(lost.id);
    // Both were relayed long enough ago to be checked.
    await database.prisma.job.updateMany({ where: { queue: definition.queue }, data: { updatedAt: new Date(Date.now() - 600_000), runAt: new Date() } });
    expect(await recoverLostJobs(database.prisma, new Map([[definition.queue, queue]]), 300_000)).toBe(1);
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({ status: 'QUEUED' });
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id: kept.id } })).toMatchObject({ status: 'RELAYED' });
    await queue.remove(kept.id);
  } finally {
    await queue.close();
  }
  const ran: number[] = [];
  const runner = startBullmqJobRunner(database.prisma, [{ definition, run: async (payload: { n: number }) => void ran.push(payload.n) }], {
    redisUrl: inject('redisUrl'),
    prefix,
    pollIntervalMs: 20,
    logger: createLogger('bullmq-transport-test', 'silent'),
  });
  try {
    await vi.waitFor(async () => expect((await runner.status(lost.id))?.state).toBe('completed'), { timeout: 10_000, interval: 20 });
    expect(ran).toContain(1);
  } finally {
    await runner.close();
  }
});

test('keeps its keys under the deployment’s prefix and closes every connection it opened', async () => {
  const definition: JobDefinition<{ n: number }> = { queue: `prefixed-${randomUUID()}` };
  const clientsBefore = await clientCount();
  const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
  const runner = startRunner(definition, async () => {});
  await vi.waitFor(async () => expect((await runner.status(id))?.state).toBe('completed'), { timeout: 10_000, interval: 20 });

  expect(await redis.keys(`${prefix}:${definition.queue}:*`)).not.toEqual([]);
  expect(await redis.keys(`bull:${definition.queue}:*`)).toEqual([]);
  await runner.close();
  await vi.waitFor(async () => expect(await clientCount()).toBe(clientsBefore), { timeout: 5_000 });
});

/** How many connections Redis has open, of the job runner's (by their names). */
async function clientCount(): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  return list.split('\n').filter((line) => /name=jobs-/.test(line)).length;
}
