import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  enqueueJob,
  JobDeferredError,
  openDatabase,
  startBullmqJobRunner,
  startDatabaseJobRunner,
  WorkerStoppingError,
  type Database,
  type JobDefinition,
  type JobHandler,
  type JobRunner,
  type JobRunnerOptions,
  type JobState,
} from '@token-nexus/prisma';
import { createLogger } from '@token-nexus/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test, vi } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';

/**
 * The JobRunner contract, on both transports: whatever a service sees of its jobs must
 * not depend on whether BullMQ or the database's own worker runs them.
 */

const repoRoot = new URL('../../', import.meta.url).pathname;
const pollIntervalMs = 20;
const fast: JobRunnerOptions = { pollIntervalMs, drainTimeoutMs: 2_000, logger: createLogger('job-runner-test', 'silent') };
/** Long enough for a runner to have picked a due job up several times over. */
const quietPeriodMs = 300;

let scratch: ScratchDatabase;
let database: Database;
const runners: JobRunner[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase();
  database = await openDatabase({ kind: 'postgres', url: scratch.url });
  await database.migrate();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

afterAll(async () => {
  await database?.close();
  await scratch?.drop();
});

/** This file's own BullMQ keys, so that no other test's runner takes its jobs. */
const keyPrefix = `tnx-test-${randomUUID()}:`;

const transports: {
  name: string;
  /** What abandoned-worker.ts needs to run on this transport. */
  env: Record<string, string>;
  start(on: Database, handlers: JobHandler<any>[], options: JobRunnerOptions): JobRunner;
}[] = [
  {
    name: 'BullMQ',
    env: { REDIS_URL: inject('redisUrl'), JOB_KEY_PREFIX: keyPrefix },
    start: (on: Database, handlers: JobHandler<any>[], options: JobRunnerOptions) =>
      startBullmqJobRunner(on.prisma, handlers, { ...options, redisUrl: inject('redisUrl'), prefix: `${keyPrefix}jobs` }),
  },
  {
    name: 'the database',
    env: {},
    start: (on: Database, handlers: JobHandler<any>[], options: JobRunnerOptions) =>
      startDatabaseJobRunner(on.prisma, handlers, options),
  },
];

/** A queue of the test's own, so that no other test's runner takes its jobs. */
function queueFor(test: string): string {
  return `${test}-${randomUUID()}`;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe.each(transports)('a job runner on $name', (transport) => {
  /** Starts a runner that is closed after the test. */
  function startRunner(handlers: JobHandler<any>[], options: JobRunnerOptions = {}): JobRunner {
    const runner = transport.start(database, handlers, { ...fast, ...options });
    runners.push(runner);
    return runner;
  }

  async function waitForState(runner: JobRunner, id: string, state: JobState) {
    await vi.waitFor(async () => expect((await runner.status(id))?.state).toBe(state), { timeout: 10_000, interval: 20 });
  }

  test('runs a job enqueued in a transaction that commits exactly once, and never one whose transaction rolled back', async () => {
    const definition: JobDefinition<{ order: string }> = { queue: queueFor('commit') };
    const runs: string[] = [];
    await expect(
      database.prisma.$transaction(async (tx) => {
        await enqueueJob(tx, definition, { order: 'rolled back' });
        throw new Error('the change that asked for the job failed');
      }),
    ).rejects.toThrow('the change that asked for the job failed');
    const committed = await database.prisma.$transaction((tx) => enqueueJob(tx, definition, { order: 'committed' }));

    const runner = startRunner([{ definition, run: async ({ order }) => void runs.push(order) }]);
    await waitForState(runner, committed.id, 'completed');
    await delay(quietPeriodMs);

    expect(runs).toEqual(['committed']);
    expect(await runner.status(committed.id)).toEqual({
      id: committed.id,
      queue: definition.queue,
      state: 'completed',
      attempts: 1,
      maxAttempts: 5,
      lastError: null,
    });
    expect(await runner.counts()).toEqual({
      [definition.queue]: { queued: 0, delayed: 0, running: 0, completed: 1, failed: 0 },
    });
    expect(await runner.status(randomUUID())).toBeNull();
  });

  test('shows a job as delayed until its runAt, then runs it', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('later') };
    const runs: number[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 }, { runAt: new Date(Date.now() + 1_000) });

    const runner = startRunner([{ definition, run: async ({ n }) => void runs.push(n) }]);
    expect((await runner.status(id))?.state).toBe('delayed');
    expect(runs).toEqual([]);
    await waitForState(runner, id, 'completed');
    expect(runs).toEqual([1]);
  });

  test('retries a failing handler after its backoff until it succeeds, and shows the last error meanwhile', async () => {
    const backoffAttempts: number[] = [];
    const definition: JobDefinition<{ n: number }> = {
      queue: queueFor('retry'),
      backoff: (attempt) => {
        backoffAttempts.push(attempt);
        return 300;
      },
    };
    const attempts: number[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });

    const runner = startRunner([
      {
        definition,
        run: async (_payload, { attempt }) => {
          attempts.push(attempt);
          if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
        },
      },
    ]);
    await vi.waitFor(() => expect(attempts).toEqual([1]), { timeout: 10_000, interval: 10 });
    await vi.waitFor(async () => expect(await runner.status(id)).toMatchObject({ state: 'delayed', lastError: 'attempt 1 failed' }));
    await waitForState(runner, id, 'completed');

    expect(attempts).toEqual([1, 2, 3]);
    expect(backoffAttempts).toEqual([1, 2]);
    expect(await runner.status(id)).toMatchObject({ attempts: 3, lastError: 'attempt 2 failed' });
  });

  test('a handler that defers its job runs it again at the time it gave, without spending an attempt', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('deferred'), maxAttempts: 2, backoff: () => 10 };
    const runs: { attempt: number; at: number }[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });

    const runner = startRunner([
      {
        definition,
        run: async (_payload, { attempt }) => {
          runs.push({ attempt, at: Date.now() });
          // Deferred three times, more than maxAttempts: none of them may count.
          if (runs.length <= 3) throw new JobDeferredError(new Date(Date.now() + 400), `waiting, run ${runs.length}`);
        },
      },
    ]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 10_000, interval: 10 });
    await vi.waitFor(async () => expect(await runner.status(id)).toMatchObject({ state: 'delayed', attempts: 0, lastError: 'waiting, run 1' }));
    await waitForState(runner, id, 'completed');

    expect(runs.map((run) => run.attempt)).toEqual([1, 1, 1, 1]);
    for (let index = 1; index < runs.length; index++) expect(runs[index]!.at - runs[index - 1]!.at).toBeGreaterThanOrEqual(350);
    expect(await runner.status(id)).toMatchObject({ state: 'completed', attempts: 1 });
    // One row for the whole wait: the job is not enqueued again.
    expect(await database.prisma.job.count({ where: { queue: definition.queue } })).toBe(1);
  });

  test('fails a job after maxAttempts with its last error, and calls onExhausted once', async () => {
    const definition: JobDefinition<{ invoice: string }> = { queue: queueFor('exhausted'), maxAttempts: 3, backoff: () => 10 };
    const attempts: number[] = [];
    const exhausted: { invoice: string; message: string; attempt: number }[] = [];
    const { id } = await enqueueJob(database.prisma, definition, { invoice: 'INV-7' });

    const runner = startRunner([
      {
        definition,
        run: async (_payload, { attempt }) => {
          attempts.push(attempt);
          throw new Error(`attempt ${attempt}: ${'x'.repeat(3000)}`);
        },
        onExhausted: async ({ invoice }, error, { attempt }) => void exhausted.push({ invoice, message: error.message, attempt }),
      },
    ]);
    await waitForState(runner, id, 'failed');
    await delay(quietPeriodMs);

    const report = await runner.status(id);
    expect(report).toMatchObject({ attempts: 3, maxAttempts: 3 });
    expect(report?.lastError).toHaveLength(2000);
    expect(report?.lastError).toMatch(/^attempt 3: x+$/);
    expect(attempts).toEqual([1, 2, 3]);
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ invoice: 'INV-7', attempt: 3 });
    // The row, the jobs' record in Postgres, says the same on either transport.
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'FAILED', attempts: 3 });
  });

  test('close() aborts a running handler; the job it gave up is not lost, and runs on the next runner without using up an attempt', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('cut-short'), maxAttempts: 1 };
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
    const attempts: number[] = [];
    const exhausted: number[] = [];
    let reason: unknown;
    const handler: JobHandler<{ n: number }> = {
      definition,
      run: (_payload, { attempt, signal }) => {
        attempts.push(attempt);
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          }),
        );
      },
      onExhausted: async (_payload, _error, { attempt }) => void exhausted.push(attempt),
    };

    const first = startRunner([handler]);
    await vi.waitFor(() => expect(attempts).toEqual([1]), { timeout: 10_000 });
    await first.close();
    expect(reason).toBeInstanceOf(WorkerStoppingError);

    const second = startRunner([{ ...handler, run: async (_payload, { attempt }) => void attempts.push(attempt) }]);
    await waitForState(second, id, 'completed');
    expect(attempts).toEqual([1, 1]);
    expect(exhausted).toEqual([]);
  });

  test('close() waits for a handler that finishes its work, and takes no job afterwards', async () => {
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('finish') };
    const first = await enqueueJob(database.prisma, definition, { n: 1 });
    const finish = deferred();
    const ran: number[] = [];

    const runner = startRunner([
      {
        definition,
        // Ignores its signal: finishes its work, then returns.
        run: async ({ n }) => {
          ran.push(n);
          await finish.promise;
        },
      },
    ]);
    await vi.waitFor(() => expect(ran).toEqual([1]), { timeout: 10_000 });
    let closed = false;
    const closing = runner.close().then(() => {
      closed = true;
    });
    const second = await enqueueJob(database.prisma, definition, { n: 2 });
    await delay(quietPeriodMs);
    expect(closed).toBe(false);
    finish.resolve();
    await closing;

    expect(await database.prisma.job.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'SUCCEEDED' });
    await delay(quietPeriodMs);
    expect(ran).toEqual([1]);
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: 'QUEUED' });
  });

  test('a job whose runner died mid-job runs again on another runner once its lease has run out', async () => {
    // Short, but not so short that a renewal delayed by a busy machine loses the lease.
    const leaseMs = 800;
    const definition: JobDefinition<{ n: number }> = { queue: queueFor('abandoned'), leaseMs };
    const { id } = await enqueueJob(database.prisma, definition, { n: 1 });
    const doomed = spawnAbandonedRunner({ queue: definition.queue, leaseMs, env: transport.env });
    try {
      await doomed.printed(`running ${id} 1`);

      const attempts: number[] = [];
      const runner = startRunner([{ definition, run: async (_payload, { attempt }) => void attempts.push(attempt) }]);
      // While the first runner lives it keeps its lease, so the job stays its own.
      await delay(2 * leaseMs);
      expect(attempts).toEqual([]);
      expect((await runner.status(id))?.state).toBe('running');

      doomed.process.kill('SIGKILL');
      await waitForState(runner, id, 'completed');
      expect(attempts).toHaveLength(1);
    } finally {
      doomed.process.kill('SIGKILL');
    }
    // A child process with tsx takes seconds to start on a loaded CI machine.
  }, 60_000);

  test('two runners on one queue run 100 jobs between them, each exactly once and never twice at the same time', async () => {
    const other = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      const definition: JobDefinition<{ n: number }> = { queue: queueFor('shared') };
      const ids = await database.prisma.$transaction(async (tx) => {
        const created: string[] = [];
        for (let n = 0; n < 100; n += 1) created.push((await enqueueJob(tx, definition, { n })).id);
        return created;
      });
      const runs = new Map<number, number>();
      const running = new Set<number>();
      const overlaps: number[] = [];
      const runsByRunner = { first: 0, second: 0 };
      const handler = (name: keyof typeof runsByRunner): JobHandler<{ n: number }> => ({
        definition,
        run: async ({ n }) => {
          if (running.has(n)) overlaps.push(n);
          running.add(n);
          runs.set(n, (runs.get(n) ?? 0) + 1);
          runsByRunner[name] += 1;
          await delay(5);
          running.delete(n);
        },
      });

      const first = startRunner([handler('first')], { concurrency: 4 });
      const second = transport.start(other, [handler('second')], { ...fast, concurrency: 4 });
      runners.push(second);
      await vi.waitFor(
        async () => expect((await first.counts())[definition.queue]?.completed).toBe(100),
        { timeout: 20_000, interval: 50 },
      );
      await Promise.all(runners.splice(0).map((runner) => runner.close()));

      expect(runs.size).toBe(100);
      expect([...runs].filter(([, count]) => count !== 1)).toEqual([]);
      expect(overlaps).toEqual([]);
      expect(runsByRunner.first).toBeGreaterThan(0);
      expect(runsByRunner.second).toBeGreaterThan(0);
      expect(await database.prisma.job.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } })).toBe(100);
    } finally {
      await Promise.all(runners.splice(0).map((runner) => runner.close()));
      await other.close();
    }
  });
});

/** Starts test/jobs/abandoned-worker.ts as its own process on the scratch database. */
function spawnAbandonedRunner(options: { queue: string; leaseMs: number; env: Record<string, string> }): {
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
      ...options.env,
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
            throw new Error(`The runner process exited (${child.exitCode}): ${stderr}`);
          }
          expect(stdout.split('\n')).toContain(line);
        },
        { timeout: 45_000, interval: 20 },
      ),
  };
}
