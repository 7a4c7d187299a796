import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  enqueueJob,
  LeaseLostError,
  openDatabase,
  startDatabaseJobRunner,
  type Database,
  type JobDefinition,
  type JobHandler,
} from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';

/** What only the database transport has: leases of its own, and the embedded database. */

const options = { pollIntervalMs: 20, logger: createLogger('database-transport-test', 'silent') };
let scratch: ScratchDatabase;
let database: Database;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await database.migrate();
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

test('aborts a handler whose job another worker has taken over, and does not record its outcome', async () => {
  const definition: JobDefinition<{ n: number }> = { queue: `taken-over-${Date.now()}`, leaseMs: 150 };
  const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let signal: AbortSignal | undefined;

  const runner = startDatabaseJobRunner(
    database.prisma,
    [
      {
        definition,
        run: async (_payload, context) => {
          signal = context.signal;
          await finished;
        },
      },
    ],
    options,
  );
  try {
    await vi.waitFor(() => expect(signal).toBeDefined());
    // What another worker's claim does to the row once the lease has run out.
    await database.prisma.job.update({
      where: { id },
      data: { attempts: { increment: 1 }, lockedUntil: new Date(Date.now() + 60_000) },
    });

    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 2_000, interval: 10 });
    expect(signal?.reason).toBeInstanceOf(LeaseLostError);
  } finally {
    finish();
    await runner.close();
  }
  expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'RUNNING', attempts: 2 });
});

test('on the embedded database, jobs are enqueued in transactions, retried and run the same way', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'tnx-jobs-'));
  const embedded = await openDatabase({ kind: 'embedded', dataDir: join(folder, 'pglite') });
  try {
    await embedded.migrate();
    const definition: JobDefinition<{ order: string }> = { queue: 'embedded', backoff: () => 0 };
    await expect(
      embedded.prisma.$transaction(async (tx) => {
        await enqueueJob(tx, definition, { order: 'rolled back' });
        throw new Error('the change that asked for the job failed');
      }),
    ).rejects.toThrow();
    const committed = await embedded.prisma.$transaction((tx) => enqueueJob(tx, definition, { order: 'committed' }));
    const runs: string[] = [];
    const handler: JobHandler<{ order: string }> = {
      definition,
      run: async ({ order }, { attempt }) => {
        runs.push(`${order} #${attempt}`);
        if (attempt === 1) throw new Error('first attempt failed');
      },
    };

    const runner = startDatabaseJobRunner(embedded.prisma, [handler], options);
    try {
      await vi.waitFor(async () => expect((await runner.status(committed.id))?.state).toBe('completed'), { timeout: 10_000 });
    } finally {
      await runner.close();
    }

    expect(runs).toEqual(['committed #1', 'committed #2']);
    expect(await runner.status(committed.id)).toMatchObject({ attempts: 2, lastError: 'first attempt failed' });
    expect(await embedded.prisma.job.count()).toBe(1);
  } finally {
    await embedded.close();
    await rm(folder, { recursive: true, force: true });
  }
  // Migrating a fresh embedded database replays every migration in WebAssembly: slow on a loaded machine.
}, 90_000);
