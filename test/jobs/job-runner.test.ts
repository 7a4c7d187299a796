import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  enqueueJob,
  LeaseLostError,
  openDatabase,
  startJobWorker,
  WorkerStoppingError,
  type Database,
  type JobDefinition,
  type JobHandler,
  type JobWorker,
  type WorkerOptions,
} from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const pollIntervalMs = 20;
const fast: WorkerOptions = { pollIntervalMs, logger: createLogger('job-runner-test', 'silent') };
/** Long enough for a worker to have claimed a due job several times over. */
const quietPeriodMs = 6 * pollIntervalMs;

let scratch: ScratchDatabase;
let database: Database;
const workers: JobWorker[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase();
  database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await database.migrate();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

/** Starts a worker that is stopped after the test. */
function startWorker(on: Database, handlers: JobHandler<any>[], options: WorkerOptions = {}): JobWorker {
  const worker = startJobWorker(on.prisma, handlers, { ...fast, ...options });
  workers.push(worker);
  return worker;
}

/** A queue of the test's own, so that no other test's worker takes its jobs. */
function queueFor(test: string): string {
  return `${test}-${randomUUID()}`;
}

function jobRow(id: string, on: Database = database) {
  return on.prisma.job.findUniqueOrThrow({ where: { id } });
}

async function waitForStatus(id: string, status: string, on: Database = database) {
  await vi.waitFor(async () => expect((await jobRow(id, on)).status).toBe(status), {
    timeout: 5_000,
    interval: 10,
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('enqueueJob', () => {
  test('a job enqueued in a transaction that rolls back never runs; one that commits runs exactly once', async () => {
    const definition: JobDefinition<{ order: string }> = { queue: queueFor('commit') };
    const runs: string[] = [];
    await expect(
      database.prisma.$transaction(async (tx) => {
        await enqueueJob(tx, definition, { order: 'rolled back' });
        throw new Error('the change that asked for the job failed');
      }),
    ).rejects.toThrow('the change that asked for the job failed');
    const committed = await database.prisma.$transaction((tx) =>
      enqueueJob(tx, definition, { order: 'committed' }),
    );

    startWorker(database, [{ definition, run: async ({ order }) => void runs.push(order) }]);
    await waitForStatus(committed.id, 'SUCCEEDED');
    await delay(quietPeriodMs);

    expect(runs).toEqual(['committed']);
    expect(await jobRow(committed.id)).toMatchObject({ attempts: 1, lockedUntil: null, lastError: null });
    const rows = await database.prisma.job.findMany({ where: { queue: definition.queue } });
    expect(rows.map((row) => row.id)).toEqual([committed.id]);
  });

  test('a job is not run before its runAt', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('later') };
    const runs: number[] = [];
    const enqueuedAt = Date.now();
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 }, { runAt: new Date(enqueuedAt + 300) });

    startWorker(database, [{ definition, run: async () => void runs.push(Date.now()) }]);
    await waitForStatus(id, 'SUCCEEDED');

    expect(runs).toHaveLength(1);
    expect(runs[0]! - enqueuedAt).toBeGreaterThanOrEqual(290);
  });
});

describe('a job worker', () => {
  test('retries a failing handler after its backoff until it succeeds', async () => {
    const backoffAttempts: number[] = [];
    const definition: JobDefinition<{ n: number }> = {
      queue: queueFor('retry'),
      backoff: (attempt) => {
        backoffAttempts.push(attempt);
        return 150;
      },
    };
    const startedAt: number[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });

    startWorker(database, [
      {
        definition,
        run: async (_payload, { attempt }) => {
          startedAt.push(Date.now());
          if (attempt < 3) {
            throw new Error(`attempt ${attempt} failed`);
          }
        },
      },
    ]);
    await waitForStatus(id, 'SUCCEEDED');

    expect(await jobRow(id)).toMatchObject({ attempts: 3, lastError: 'attempt 2 failed', lockedUntil: null });
    expect(backoffAttempts).toEqual([1, 2]);
    expect(startedAt).toHaveLength(3);
    // A few ms of slack: run times are compared on the database's clock, estimated here.
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(140);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(140);
  });

  test('marks a job FAILED with its last error after maxAttempts, and calls onExhausted once', async () => {
    const definition: JobDefinition<{ invoice: string }> = {
      queue: queueFor('exhausted'),
      maxAttempts: 3,
      backoff: () => 0,
    };
    const attempts: number[] = [];
    const exhausted: { invoice: string; message: string; attempt: number }[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { invoice: 'INV-7' });

    startWorker(database, [
      {
        definition,
        run: async (_payload, { attempt }) => {
          attempts.push(attempt);
          throw new Error(`attempt ${attempt}: ${'x'.repeat(3000)}`);
        },
        onExhausted: async ({ invoice }, error, { attempt }) => {
          exhausted.push({ invoice, message: error.message, attempt });
        },
      },
    ]);
    await waitForStatus(id, 'FAILED');
    await delay(quietPeriodMs);

    const job = await jobRow(id);
    expect(job).toMatchObject({ attempts: 3, lockedUntil: null });
    expect(job.lastError).toHaveLength(2000);
    expect(job.lastError).toMatch(/^attempt 3: x+$/);
    expect(attempts).toEqual([1, 2, 3]);
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ invoice: 'INV-7', attempt: 3 });
    expect(exhausted[0]!.message).toMatch(/^attempt 3: /);
  });

  test('runs again, on another worker, a job whose worker died mid-job, once its lease has run out', async () => {
    // Short, but not so short that a renewal delayed by a busy machine (the worker process
    // has just started, and Prisma plans each new query on its first use) loses the lease.
    const leaseMs = 600;
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('abandoned'), leaseMs };
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
    const doomed = spawnAbandonedWorker({ queue: definition.queue, leaseMs });
    try {
      await doomed.printed(`running ${id} 1`);

      const attempts: number[] = [];
      startWorker(database, [{ definition, run: async (_payload, { attempt }) => void attempts.push(attempt) }]);
      // While the first worker lives it renews its lease, so the job stays its own.
      await delay(2 * leaseMs);
      expect(attempts).toEqual([]);
      expect(await jobRow(id)).toMatchObject({ status: 'RUNNING', attempts: 1 });

      doomed.process.kill('SIGKILL');
      await waitForStatus(id, 'SUCCEEDED');
      expect(attempts).toEqual([2]);
      expect(await jobRow(id)).toMatchObject({ attempts: 2, lockedUntil: null });
    } finally {
      doomed.process.kill('SIGKILL');
    }
  });

  test('aborts a handler whose job another worker has taken over, and does not record its outcome', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('taken-over'), leaseMs: 150 };
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
    const finish = deferred();
    let signal: AbortSignal | undefined;

    const worker = startWorker(database, [
      {
        definition,
        run: async (_payload, context) => {
          signal = context.signal;
          await finish.promise;
        },
      },
    ]);
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
      finish.resolve();
    }
    await worker.stop();
    expect(await jobRow(id)).toMatchObject({ status: 'RUNNING', attempts: 2 });
  });

  test('stop() aborts the signals of running handlers, waits for them, and claims nothing afterwards', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('stop') };
    const first = await enqueueJob(database.prisma, definition, { n: 1 });
    const finish = deferred();
    const ran: number[] = [];
    let signal: AbortSignal | undefined;

    const worker = startWorker(database, [
      {
        definition,
        // Ignores its signal: finishes its work, then returns.
        run: async ({ n }, context) => {
          ran.push(n);
          signal = context.signal;
          await finish.promise;
        },
      },
    ]);
    let stopped = false;
    let second: { id: string };
    try {
      await vi.waitFor(() => expect(ran).toEqual([1]));
      const stopping = worker.stop().then(() => {
        stopped = true;
      });
      await vi.waitFor(() => expect(signal?.aborted).toBe(true));
      expect(signal?.reason).toBeInstanceOf(WorkerStoppingError);
      second = await enqueueJob(database.prisma, definition, { n: 2 });
      await delay(quietPeriodMs);
      expect(stopped).toBe(false);

      finish.resolve();
      await stopping;
    } finally {
      finish.resolve();
    }
    expect(await jobRow(first.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    await delay(quietPeriodMs);
    expect(ran).toEqual([1]);
    expect(await jobRow(second.id)).toMatchObject({ status: 'QUEUED', attempts: 0 });
  });

  test('a handler cut short by stop() gives its job back without using up an attempt', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('cut-short'), maxAttempts: 1 };
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
    const attempts: number[] = [];
    const exhausted: number[] = [];
    const handler: JobHandler<{ n: number }> = {
      definition,
      run: (_payload, { attempt, signal }) => {
        attempts.push(attempt);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      onExhausted: async (_payload, _error, { attempt }) => void exhausted.push(attempt),
    };

    const worker = startWorker(database, [handler]);
    await vi.waitFor(() => expect(attempts).toEqual([1]));
    await worker.stop();
    expect(await jobRow(id)).toMatchObject({ status: 'QUEUED', attempts: 0, lockedUntil: null });

    startWorker(database, [{ ...handler, run: async (_payload, { attempt }) => void attempts.push(attempt) }]);
    await waitForStatus(id, 'SUCCEEDED');
    expect(attempts).toEqual([1, 1]);
    expect(exhausted).toEqual([]);
  });
});

describe('two workers on separate connections', () => {
  test('run 200 jobs between them, each exactly once', async () => {
    const other = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      const definition: JobDefinition<{ n: number }> = { queue: queueFor('shared') };
      await database.prisma.$transaction(async (tx) => {
        for (let n = 0; n < 200; n += 1) {
          await enqueueJob(tx, definition, { n });
        }
      });
      const runs = new Map<number, number>();
      const runsByWorker = { first: 0, second: 0 };
      const handler = (worker: keyof typeof runsByWorker): JobHandler<{ n: number }> => ({
        definition,
        run: async ({ n }) => {
          runs.set(n, (runs.get(n) ?? 0) + 1);
          runsByWorker[worker] += 1;
          await delay(2);
        },
      });

      startWorker(database, [handler('first')], { concurrency: 4 });
      startWorker(other, [handler('second')], { concurrency: 4 });
      await vi.waitFor(
        async () =>
          expect(
            await database.prisma.job.count({ where: { queue: definition.queue, status: 'SUCCEEDED' } }),
          ).toBe(200),
        { timeout: 15_000, interval: 20 },
      );
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));

      expect(runs.size).toBe(200);
      expect([...runs].filter(([, count]) => count !== 1)).toEqual([]);
      expect(runsByWorker.first).toBeGreaterThan(0);
      expect(runsByWorker.second).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      await other.close();
    }
  });
});

describe('on the embedded database', () => {
  test('jobs are enqueued in transactions, retried and run the same way', async () => {
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
      const committed = await embedded.prisma.$transaction((tx) =>
        enqueueJob(tx, definition, { order: 'committed' }),
      );
      const runs: string[] = [];

      const worker = startWorker(embedded, [
        {
          definition,
          run: async ({ order }, { attempt }) => {
            runs.push(`${order} #${attempt}`);
            if (attempt === 1) {
              throw new Error('first attempt failed');
            }
          },
        },
      ]);
      await waitForStatus(committed.id, 'SUCCEEDED', embedded);
      await delay(quietPeriodMs);
      await worker.stop();

      expect(runs).toEqual(['committed #1', 'committed #2']);
      expect(await jobRow(committed.id, embedded)).toMatchObject({ attempts: 2, lastError: 'first attempt failed' });
      expect(await embedded.prisma.job.count()).toBe(1);
    } finally {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
      await embedded.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

/** Starts test/jobs/abandoned-worker.ts as its own process on the scratch database. */
function spawnAbandonedWorker(options: { queue: string; leaseMs: number }): {
  process: ChildProcess;
  printed(line: string): Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/abandoned-worker.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: scratch.url,
      JOB_QUEUE: options.queue,
      JOB_LEASE_MS: String(options.leaseMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return {
    process: child,
    printed: (line) =>
      vi.waitFor(
        () => {
          if (child.exitCode !== null) {
            throw new Error(`The worker process exited (${child.exitCode}): ${stderr}`);
          }
          expect(stdout.split('\n')).toContain(line);
        },
        { timeout: 15_000, interval: 20 },
      ),
  };
}
