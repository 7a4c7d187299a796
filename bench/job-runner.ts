/**
 * Benchmarks the platform job runner (`@token-nexus/prisma`'s `startJobRunner`) on both of
 * its transports in one run, so that their figures are comparable: BullMQ (Redis, fed by
 * the outbox relay from jobs.jobs) and the database's own table worker (no Redis).
 *
 * Each round starts a runner on a fresh queue (and, for BullMQ, a fresh key prefix), sends
 * a few unmeasured jobs through it (so that it is connected and warm), then measures:
 *
 * - a burst: `BENCH_JOBS` jobs enqueued as fast as `BENCH_ENQUEUERS` concurrent producers
 *   can, each in its own transaction as a service enqueues them; timed from the first
 *   enqueue until every job's row says SUCCEEDED. Its commit → handler-start latency is
 *   mostly time spent queued behind the burst's earlier jobs;
 * - a trickle: `BENCH_TRICKLE_JOBS` jobs enqueued one at a time, 20 ms apart (well within
 *   what either transport keeps up with): commit → handler-start on an idle runner, which
 *   is bounded by the poll interval (the relay's rounds, or the table worker's claims).
 *
 * with two handlers: one that returns at once, and one that awaits 5 ms (I/O-bound work).
 * The transports take turns round by round (ABBA…), so both see the same drift, and the
 * report gives each one's median over its rounds and the BullMQ ÷ database ratios.
 *
 * The jobs are enqueued through one Prisma client (a service's request path) and run
 * through another (its runner), each with its own pool of 10 connections, so that
 * producers and workers do not wait for each other's connections. Everything runs in this
 * one process, so compare the ratios of one run rather than absolute numbers across
 * machines. `pnpm bench:jobs`; tune with:
 *
 * - BENCH_JOBS: jobs per burst (default 2000)
 * - BENCH_TRICKLE_JOBS: jobs per trickle (default 100)
 * - BENCH_ROUNDS: rounds per transport and handler (default 3)
 * - BENCH_ENQUEUERS: enqueue transactions in flight during a burst (default 8)
 * - BENCH_JOB_CONCURRENCY: jobs the runner runs at once (default 4, as JOB_CONCURRENCY)
 * - BENCH_JOB_POLL_INTERVAL_MS: the runner's poll interval (default 250, as JOB_POLL_INTERVAL_MS)
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 * - BENCH_REDIS_URL: the Redis for BullMQ (default redis://127.0.0.1:6379); every round
 *   deletes the keys under its own prefix afterwards, and only those.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import {
  enqueueJob,
  openDatabase,
  startJobRunner,
  type Database,
  type JobDefinition,
  type JobHandler,
} from '@token-nexus/prisma';
import { createLogger, loadEnv, positiveInt, url, type Redis } from '@token-nexus/shared';
import { mapConcurrently, sleep } from './kit/concurrency.ts';
import { createScratchDatabase } from './kit/database.ts';
import { percentile } from './kit/load.ts';
import { connectRedis, deleteKeysWithPrefix } from './kit/redis.ts';
import { range } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

interface Settings {
  adminUrl: string;
  redisUrl: string;
  jobs: number;
  trickleJobs: number;
  rounds: number;
  enqueuers: number;
  concurrency: number;
  pollIntervalMs: number;
}

type TransportName = 'BullMQ' | 'database';

const transports: readonly TransportName[] = ['BullMQ', 'database'];

/** What each job's handler does once started. */
interface Work {
  name: string;
  /** How long the handler awaits (a timer: I/O, not CPU); 0 returns at once. */
  awaitMs: number;
}

const works: readonly Work[] = [
  { name: 'no-op', awaitMs: 0 },
  { name: 'awaits 5 ms', awaitMs: 5 },
];

/** Unmeasured jobs a new runner runs first: it is connected, and its code warm, after them. */
const warmupJobs = 50;
/** Between two jobs of a trickle. */
const trickleGapMs = 20;
/** A batch that has not finished after this long has lost jobs: the run fails. */
const batchTimeoutMs = 120_000;

/** Figures of one batch of jobs. */
interface BatchFigures {
  jobs: number;
  /** From the first enqueue to the last job's row saying SUCCEEDED. */
  wallMs: number;
  /** From the first enqueue to the last commit. */
  enqueueMs: number;
  /** Each job's enqueue commit → handler start, ascending. */
  pickupMs: number[];
  /** Handler starts beyond one per job (a job run twice). */
  extraStarts: number;
}

interface Round {
  transport: TransportName;
  work: Work;
  burst: BatchFigures;
  trickle: BatchFigures;
}

async function main(): Promise<void> {
  const settings = readSettings();
  // Ctrl-C stops between batches and still closes everything. `on`, not `once`: under pnpm
  // the process can get the same Ctrl-C twice (from the terminal and relayed by tsx).
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));

  // Connected first: a Redis that is away should fail the run before anything is created.
  const redis = await connectRedis(settings.redisUrl, 'tnx-bench-jobs');
  const scratch = await createScratchDatabase(settings.adminUrl);
  const opened: Database[] = [];
  try {
    progress(`database ${new URL(scratch.url).pathname.slice(1)} created; migrating…`);
    const producer = await openDatabase({ kind: 'postgres', url: scratch.url });
    opened.push(producer);
    await producer.migrate();
    const worker = await openDatabase({ kind: 'postgres', url: scratch.url });
    opened.push(worker);
    const rounds: Round[] = [];
    for (const work of works) {
      for (let round = 0; round < settings.rounds; round++) {
        for (const transport of round % 2 === 0 ? transports : transports.toReversed()) {
          interrupt.signal.throwIfAborted();
          progress(`${work.name}, round ${round + 1} of ${settings.rounds}: ${transport}…`);
          rounds.push(await runRound({ settings, producer, worker, redis, transport, work, signal: interrupt.signal }));
        }
      }
    }
    console.log(report(rounds, settings));
  } finally {
    for (const database of opened) await database.close();
    await scratch.drop();
    redis.disconnect();
    progress('database dropped');
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_POSTGRES_URL: url(['postgres:', 'postgresql:'], 'must be a postgres:// URL').default(
      'postgresql://postgres@127.0.0.1:5432/postgres',
    ),
    BENCH_REDIS_URL: url(['redis:', 'rediss:'], 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    BENCH_JOBS: positiveInt(2_000),
    BENCH_TRICKLE_JOBS: positiveInt(100),
    BENCH_ROUNDS: positiveInt(3),
    BENCH_ENQUEUERS: positiveInt(8),
    BENCH_JOB_CONCURRENCY: positiveInt(4),
    BENCH_JOB_POLL_INTERVAL_MS: positiveInt(250),
  }));
  return {
    adminUrl: vars.BENCH_POSTGRES_URL,
    redisUrl: vars.BENCH_REDIS_URL,
    jobs: vars.BENCH_JOBS,
    trickleJobs: vars.BENCH_TRICKLE_JOBS,
    rounds: vars.BENCH_ROUNDS,
    enqueuers: vars.BENCH_ENQUEUERS,
    concurrency: vars.BENCH_JOB_CONCURRENCY,
    pollIntervalMs: vars.BENCH_JOB_POLL_INTERVAL_MS,
  };
}

// ---------------------------------------------------------------------------------------
// One round

/** What each handler start reports to: the batch being measured. */
class BatchTracker {
  readonly startedAt = new Map<string, number>();
  extraStarts = 0;
  #ended = 0;
  #allEnded: () => void = () => {};
  /** Resolves once `expected` handlers have returned. */
  readonly allEnded: Promise<void>;

  constructor(readonly expected: number) {
    this.allEnded = new Promise((resolve) => (this.#allEnded = resolve));
  }

  started(jobId: string, at: number): void {
    if (this.startedAt.has(jobId)) this.extraStarts++;
    else this.startedAt.set(jobId, at);
  }

  ended(): void {
    if (++this.#ended === this.expected) this.#allEnded();
  }
}

interface RoundContext {
  settings: Settings;
  producer: Database;
  worker: Database;
  redis: Redis;
  transport: TransportName;
  work: Work;
  signal: AbortSignal;
}

/**
 * Starts a runner of `transport` on a queue of its own, warms it up, then measures a burst
 * and a trickle through it. Closes the runner afterwards and deletes its BullMQ keys.
 */
async function runRound(context: RoundContext): Promise<Round> {
  const { settings, producer, worker, redis, transport, work } = context;
  const definition: JobDefinition<{ n: number }> = { queue: `bench-${randomUUID()}` };
  // A prefix of the round's own: keys left by an earlier round (completed jobs stay an
  // hour) never mix with this one's, and deleting them cannot touch anyone else's.
  const keyPrefix = `tnx-bench-jobs-${process.pid}-${randomUUID()}:`;
  let tracker = new BatchTracker(0);
  const handler: JobHandler<{ n: number }> = {
    definition,
    run: async (_payload, { jobId }) => {
      tracker.started(jobId, performance.now());
      if (work.awaitMs > 0) await sleep(work.awaitMs);
      tracker.ended();
    },
  };
  const runner = startJobRunner(worker.prisma, [handler], {
    redisUrl: transport === 'BullMQ' ? settings.redisUrl : undefined,
    keyPrefix,
    concurrency: settings.concurrency,
    pollIntervalMs: settings.pollIntervalMs,
    drainTimeoutMs: 2_000,
    logger: createLogger('bench-jobs', 'silent'),
  });
  try {
    if ((runner.transport === 'bullmq') !== (transport === 'BullMQ')) {
      throw new Error(`asked for ${transport}, the runner says ${runner.transport}`);
    }
    let succeeded = 0;
    const batch = async (jobs: number, pace: Pace) => {
      tracker = new BatchTracker(jobs);
      const figures = await runBatch(producer, definition, tracker, succeeded + jobs, pace);
      succeeded += jobs;
      return figures;
    };
    const burstPace: Pace = { enqueuers: settings.enqueuers, gapMs: 0 };
    await batch(warmupJobs, burstPace);
    context.signal.throwIfAborted();
    const burst = await batch(settings.jobs, burstPace);
    context.signal.throwIfAborted();
    const trickle = await batch(settings.trickleJobs, { enqueuers: 1, gapMs: trickleGapMs });
    return { transport, work, burst, trickle };
  } finally {
    await runner.close();
    if (transport === 'BullMQ') await deleteKeysWithPrefix(redis, keyPrefix);
  }
}

/** How a batch is enqueued: this many transactions in flight, each after waiting `gapMs`. */
interface Pace {
  enqueuers: number;
  gapMs: number;
}

/**
 * Enqueues `tracker.expected` jobs at `pace`, each in its own transaction, and waits until
 * every handler has returned and the queue's SUCCEEDED rows number `succeededAfter` (the
 * rows are written after the handler returns, on either transport).
 */
async function runBatch(
  producer: Database,
  definition: JobDefinition<{ n: number }>,
  tracker: BatchTracker,
  succeededAfter: number,
  pace: Pace,
): Promise<BatchFigures> {
  const committedAt = new Map<string, number>();
  const startedAt = performance.now();
  const deadline = startedAt + batchTimeoutMs;
  await mapConcurrently(range(tracker.expected), pace.enqueuers, async (n) => {
    if (pace.gapMs > 0 && n > 0) await sleep(pace.gapMs);
    const { id } = await producer.prisma.$transaction((tx) => enqueueJob(tx, definition, { n }));
    // Taken when the commit's answer is read: a worker polling on another connection can
    // see the row a moment earlier, so a pickup can come out a fraction of a millisecond
    // shorter than it was (even negative), never longer.
    committedAt.set(id, performance.now());
  });
  const enqueuedAt = performance.now();
  await within(tracker.allEnded, deadline, () => `${tracker.startedAt.size} of ${tracker.expected} jobs started`);
  // Only now, so that the polling adds no load while the jobs run.
  for (;;) {
    const succeeded = await producer.prisma.job.count({ where: { queue: definition.queue, status: 'SUCCEEDED' } });
    if (succeeded >= succeededAfter) break;
    if (performance.now() > deadline) {
      throw new Error(`after ${batchTimeoutMs / 1000} s, ${succeeded} of ${succeededAfter} jobs had succeeded`);
    }
    await sleep(2);
  }
  const completedAt = performance.now();
  const pickupMs = [...committedAt]
    .map(([id, committed]) => (tracker.startedAt.get(id) ?? Number.NaN) - committed)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return {
    jobs: tracker.expected,
    wallMs: completedAt - startedAt,
    enqueueMs: enqueuedAt - startedAt,
    pickupMs,
    extraStarts: tracker.extraStarts,
  };
}

/** `promise`, or a failure (saying `progress()`) if it has not settled by `deadline`. */
async function within(promise: Promise<void>, deadline: number, progress: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the batch did not finish in ${batchTimeoutMs / 1000} s: ${progress()}`)),
      Math.max(0, deadline - performance.now()),
    );
  });
  try {
    await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// Report

/** One transport's figures for one handler: each the median of its rounds. */
interface Medians {
  rounds: number;
  burstWallMs: number;
  burstEnqueueMs: number;
  jobsPerSecond: number;
  /** Every round's jobs/s, in the order run: the spread behind the median. */
  jobsPerSecondByRound: number[];
  burstP50Ms: number;
  burstP95Ms: number;
  trickleP50Ms: number;
  trickleP95Ms: number;
}

function mediansOf(rounds: readonly Round[]): Medians {
  const median = (figure: (round: Round) => number) => {
    const sorted = rounds.map(figure).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const jobsPerSecond = (round: Round) => round.burst.jobs / (round.burst.wallMs / 1000);
  return {
    rounds: rounds.length,
    burstWallMs: median((round) => round.burst.wallMs),
    burstEnqueueMs: median((round) => round.burst.enqueueMs),
    jobsPerSecond: median(jobsPerSecond),
    jobsPerSecondByRound: rounds.map(jobsPerSecond),
    burstP50Ms: median((round) => percentile(round.burst.pickupMs, 50)),
    burstP95Ms: median((round) => percentile(round.burst.pickupMs, 95)),
    trickleP50Ms: median((round) => percentile(round.trickle.pickupMs, 50)),
    trickleP95Ms: median((round) => percentile(round.trickle.pickupMs, 95)),
  };
}

function report(rounds: readonly Round[], settings: Settings): string {
  const figures = works.map((work) => ({
    work,
    byTransport: transports.map((transport) => ({
      transport,
      medians: mediansOf(rounds.filter((round) => round.work === work && round.transport === transport)),
    })),
  }));
  const rows = (row: (work: Work, transport: TransportName, medians: Medians) => string[]) =>
    figures.flatMap(({ work, byTransport }) =>
      byTransport.map(({ transport, medians }) => row(work, transport, medians)),
    );
  const extraStarts = rounds.reduce((sum, round) => sum + round.burst.extraStarts + round.trickle.extraStarts, 0);
  return [
    '',
    `Job runner, BullMQ (${settings.redisUrl}) vs the database table worker; Node ${process.version}, ` +
      `${cpus().length} CPUs`,
    `concurrency ${settings.concurrency}, poll interval ${settings.pollIntervalMs} ms; ${settings.rounds} rounds ` +
      `per transport and handler, alternating; medians of the rounds`,
    '',
    `Burst: ${settings.jobs} jobs enqueued by ${settings.enqueuers} concurrent transactions, ` +
      'first enqueue → last row SUCCEEDED; pickup = enqueue commit → handler start (mostly queueing)',
    '',
    formatTable(
      [
        { title: 'handler' },
        { title: 'transport' },
        { title: 'wall s', align: 'right' },
        { title: 'jobs/s', align: 'right' },
        { title: 'pickup p50 ms', align: 'right' },
        { title: 'pickup p95 ms', align: 'right' },
        { title: 'enqueueing s', align: 'right' },
        { title: 'jobs/s by round' },
      ],
      rows((work, transport, medians) => [
        work.name,
        transport,
        fixed(medians.burstWallMs / 1000, 2),
        fixed(medians.jobsPerSecond, 0),
        fixed(medians.burstP50Ms, 1),
        fixed(medians.burstP95Ms, 1),
        fixed(medians.burstEnqueueMs / 1000, 2),
        medians.jobsPerSecondByRound.map((value) => fixed(value, 0)).join(' / '),
      ]),
    ),
    '',
    `Trickle: ${settings.trickleJobs} jobs enqueued one at a time, ${trickleGapMs} ms apart; ` +
      'pickup on an idle runner (bounded by the poll interval)',
    '',
    formatTable(
      [
        { title: 'handler' },
        { title: 'transport' },
        { title: 'pickup p50 ms', align: 'right' },
        { title: 'pickup p95 ms', align: 'right' },
      ],
      rows((work, transport, medians) => [
        work.name,
        transport,
        fixed(medians.trickleP50Ms, 1),
        fixed(medians.trickleP95Ms, 1),
      ]),
    ),
    '',
    ratioTable(figures.map(({ work, byTransport }) => ({
      work,
      bullmq: byTransport.find(({ transport }) => transport === 'BullMQ')!.medians,
      database: byTransport.find(({ transport }) => transport === 'database')!.medians,
    }))),
    '',
    `  jobs run more than once: ${extraStarts} (of ${rounds.length * (settings.jobs + settings.trickleJobs)} measured)`,
    '',
  ].join('\n');
}

/** BullMQ's medians over the database's: below 1.00× BullMQ is faster (jobs/s: above). */
function ratioTable(pairs: readonly { work: Work; bullmq: Medians; database: Medians }[]): string {
  const ratio = (bullmq: number, database: number) => `${fixed(bullmq / database, 2)}×`;
  return formatTable(
    [
      { title: 'BullMQ ÷ database' },
      { title: 'burst wall', align: 'right' },
      { title: 'jobs/s', align: 'right' },
      { title: 'burst p50', align: 'right' },
      { title: 'burst p95', align: 'right' },
      { title: 'trickle p50', align: 'right' },
      { title: 'trickle p95', align: 'right' },
    ],
    pairs.map(({ work, bullmq, database }) => [
      work.name,
      ratio(bullmq.burstWallMs, database.burstWallMs),
      ratio(bullmq.jobsPerSecond, database.jobsPerSecond),
      ratio(bullmq.burstP50Ms, database.burstP50Ms),
      ratio(bullmq.burstP95Ms, database.burstP95Ms),
      ratio(bullmq.trickleP50Ms, database.trickleP50Ms),
      ratio(bullmq.trickleP95Ms, database.trickleP95Ms),
    ]),
  );
}

runBenchmark(main);
