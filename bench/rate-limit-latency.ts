/**
 * Measures what the @rateLimit directive adds to each request when the counters live in
 * Redis, in one run so that the figures are comparable:
 *
 * (a) end to end through the gateway, two mutations of the same shape and nearly the
 *     same work (one indexed lookup of an unknown refresh token): `refreshSession`,
 *     limited by IP, and `logOut`, not limited. Every request comes from its own client
 *     address, so no limit is ever reached: this measures the cost of counting, not of
 *     refusing (the run fails if any answer says RATE_LIMITED). The two are measured in
 *     alternating slices, so that drift (a warming JIT, a growing heap, a busier machine)
 *     affects both alike. They still differ in how they answer (refreshSession with an
 *     UNAUTHENTICATED error, logOut with `false`), and that difference is in the figures
 *     too: run the memory control below to see how much of it is not the limiter's.
 *     (SQL/request also differs in Redis mode: limited resolvers resume together when
 *     Redis answers a burst of counts, and Prisma then batches their lookups into one.)
 * (b) the stores alone: `RedisRateLimitStore.hit()` against the same Redis, one use at a
 *     time and 50 at once, and `MemoryRateLimitStore` (the embedded mode and the fallback)
 *     the same way, each use on its own counter.
 *
 * Everything runs in this one process, load generator included, so compare runs made on
 * the same, otherwise idle machine rather than absolute numbers across machines.
 * `pnpm bench:rate-limits`; tune with:
 *
 * - BENCH_DURATION_SECONDS: measured time per operation in (a) (default 10)
 * - BENCH_WARMUP_SECONDS: unmeasured load per operation before (a) (default 2)
 * - BENCH_CONNECTIONS: concurrent keep-alive connections in (a) (default 10)
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 * - BENCH_REDIS_URL: the Redis to count in (default redis://127.0.0.1:6379); the run
 *   deletes the counters it made, and only those.
 * - BENCH_RATE_LIMIT_STORE: `redis` (default) or `memory`, a control: (a) with the graph
 *   counting in each service's memory, as without REDIS_URL. What (a) shows then is the
 *   difference between the two operations themselves, without the Redis round trip.
 */
import { cpus } from 'node:os';
import {
  ConfigError,
  MemoryRateLimitStore,
  RedisRateLimitStore,
  loadEnv,
  positiveInt,
  rateLimitKey,
  url,
  type Claims,
  type Redis,
  type RateLimitStore,
} from '@token-nexus/shared';
import { addressAt, graphQLBody } from './kit/client.ts';
import { createScratchDatabase } from './kit/database.ts';
import { settle, startBenchGraph, type BenchGraph } from './kit/graph.ts';
import { combineLoads, runLoad, type LoadResult, type LoadTarget } from './kit/load.ts';
import { connectRedis, deleteKeys, deleteKeysWithPrefix, scriptRuns } from './kit/redis.ts';
import { timeBatchedHits, timeSequentialHits, type HitPlan, type HitTimings } from './kit/store-latency.ts';
import { fixed, formatTable } from './kit/table.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

/** A mutation to load, and how to tell its one right answer. */
interface Operation {
  name: string;
  query: string;
  /** Whether a response body is the answer expected (checked for every response). */
  isRightAnswer(body: string): boolean;
  /** The RateLimit-Limit header its answers must carry; null: none (not limited). */
  rateLimitHeader: string | null;
}

/**
 * Limited 30 a minute by IP in identity's schema. An unknown token is refused after one
 * indexed lookup, with UNAUTHENTICATED: after the counting, which happens before the
 * resolver runs.
 */
const limitedOperation: Operation = {
  name: 'refreshSession (limited)',
  query: 'mutation { refreshSession(refreshToken: "tnx_rt_unknown") { accessToken } }',
  isRightAnswer: (body) => body.includes('"UNAUTHENTICATED"'),
  rateLimitHeader: '30',
};

/** Not limited; the same lookup, and `false` for an unknown token. */
const unlimitedOperation: Operation = {
  name: 'logOut (not limited)',
  query: 'mutation { logOut(refreshToken: "tnx_rt_unknown") }',
  isRightAnswer: (body) => body.includes('"logOut":false') && !body.includes('"errors"'),
  rateLimitHeader: null,
};

/**
 * Where refreshSession's @rateLimit (`by: [IP]`) counts: the run's counters are found
 * again from the addresses it used, so that only they are deleted, never those of anyone
 * else sharing the Redis (tests count under the same `tnx:rl:` prefix). Keep in step with
 * the schema; a counter missed here still expires after its one-minute window.
 */
const limitedField = { parentType: 'Mutation', fieldName: 'refreshSession', by: ['IP'] as const };

/** (b): uses timed per row, and unmeasured ones before (JIT, Redis loading the script). */
const storeHits = 20_000;
const storeWarmupHits = 2_000;
const storeBatchSize = 50;
/** refreshSession's limit, so the counters (and their expiry) are those of a real field. */
const storeLimit = { limit: 30, windowMs: 60_000 };

/** (a) alternates the operations in slices of about this many seconds. */
const sliceSeconds = 2;

/** Where the graph in (a) keeps its counters. */
type CounterStore = 'redis' | 'memory';

interface Settings {
  adminUrl: string;
  redisUrl: string;
  counters: CounterStore;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

/** What every response of one operation said, warm-ups included. */
interface Tally {
  responses: number;
  rateLimited: number;
}

interface Measurement {
  operation: Operation;
  load: LoadResult;
  statementsPerRequest: number;
  tally: Tally;
}

interface EndToEnd {
  limited: Measurement;
  unlimited: Measurement;
  /**
   * Lua scripts Redis ran meanwhile: at least one per limited request if it counted them.
   * Null when the graph counts in memory.
   */
  scriptRuns: number | null;
  slices: number;
}

interface StoreRow {
  store: string;
  pattern: string;
  timings: HitTimings;
}

async function main(): Promise<void> {
  const settings = readSettings();
  // Ctrl-C stops the load early and still cleans up. `on`, not `once`: under pnpm the
  // process can get the same Ctrl-C twice (from the terminal and relayed by tsx).
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));

  const redis = await connectRedis(settings.redisUrl, 'tnx-bench-rate-limits');
  try {
    // The stores first, while nothing else runs in the process.
    const stores = await measureStores(redis, interrupt.signal);
    interrupt.signal.throwIfAborted();
    const endToEnd = await measureEndToEnd(settings, redis, interrupt.signal);
    console.log(report(settings, endToEnd, stores));
    assertComparable(endToEnd);
  } finally {
    redis.disconnect();
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_POSTGRES_URL: url(['postgres:', 'postgresql:'], 'must be a postgres:// URL').default(
      'postgresql://postgres@127.0.0.1:5432/postgres',
    ),
    BENCH_REDIS_URL: url(['redis:', 'rediss:'], 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    BENCH_DURATION_SECONDS: positiveInt(10),
    BENCH_WARMUP_SECONDS: positiveInt(2),
    BENCH_CONNECTIONS: positiveInt(10),
  }));
  return {
    adminUrl: vars.BENCH_POSTGRES_URL,
    redisUrl: vars.BENCH_REDIS_URL,
    counters: counterStore(process.env.BENCH_RATE_LIMIT_STORE),
    durationSeconds: vars.BENCH_DURATION_SECONDS,
    warmupSeconds: vars.BENCH_WARMUP_SECONDS,
    connections: vars.BENCH_CONNECTIONS,
  };
}

/** Read apart from `loadEnv`, whose helpers offer no choice among fixed words. */
function counterStore(value: string | undefined): CounterStore {
  const given = value?.trim() || 'redis';
  if (given === 'redis' || given === 'memory') return given;
  throw new ConfigError([{ variable: 'BENCH_RATE_LIMIT_STORE', message: 'must be redis or memory' }]);
}

// ---------------------------------------------------------------------------------------
// (b) the stores alone

/**
 * Times both stores, one use at a time and `storeBatchSize` at once, on counters under a
 * prefix of this run's own, deleted afterwards.
 */
async function measureStores(redis: Redis, signal: AbortSignal): Promise<StoreRow[]> {
  const prefix = `tnx:rl:bench-${process.pid}-${Date.now()}:`;
  const memory = new MemoryRateLimitStore();
  // The Redis store is not closed: that would disconnect its client, which is the run's.
  const stores: { name: string; store: RateLimitStore }[] = [
    { name: 'Redis', store: new RedisRateLimitStore(redis, 'tnx-bench-rate-limits:') },
    { name: 'memory', store: memory },
  ];
  const rows: StoreRow[] = [];
  try {
    for (const { name, store } of stores) {
      const plan = (pattern: string, count: number): HitPlan => ({
        store,
        count,
        key: (index) => `${prefix}${name}:${pattern}:${index}`,
        ...storeLimit,
        signal,
      });
      progress(`${name} store: ${storeHits} uses one at a time, then ${storeBatchSize} at once…`);
      await timeSequentialHits(plan('warm-up', storeWarmupHits));
      rows.push({
        store: name,
        pattern: 'one at a time',
        timings: await timeSequentialHits(plan('sequential', storeHits)),
      });
      rows.push({
        store: name,
        pattern: `${storeBatchSize} at once`,
        timings: await timeBatchedHits(plan('batched', storeHits), storeBatchSize),
      });
    }
  } finally {
    await memory.close();
    const deleted = await deleteKeysWithPrefix(redis, prefix);
    progress(`deleted the store benchmark's ${deleted} counters (${prefix}*) from Redis`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// (a) end to end through the gateway

/**
 * Runs the graph on a scratch database, its counters in Redis (or memory, the control),
 * checks both operations answer as expected, then loads them in alternating slices.
 * Afterwards it closes the graph, drops the database and deletes the counters the
 * requests made.
 */
async function measureEndToEnd(settings: Settings, redis: Redis, signal: AbortSignal): Promise<EndToEnd> {
  const database = await createScratchDatabase(settings.adminUrl);
  const addresses = new AddressSequence();
  let graph: BenchGraph | undefined;
  try {
    const inRedis = settings.counters === 'redis';
    progress(
      `database ${new URL(database.url).pathname.slice(1)} created; ` +
        `starting the graph with its counters in ${inRedis ? 'Redis' : 'memory'}…`,
    );
    graph = await startBenchGraph(database.url, inRedis ? { redisUrl: settings.redisUrl } : {});
    const scriptsBefore = await scriptRuns(redis);
    const operations = [limitedOperation, unlimitedOperation];
    const tallies = operations.map((): Tally => ({ responses: 0, rateLimited: 0 }));
    const targets = operations.map((operation, index) =>
      loadTarget(graph!, operation, addresses, tallies[index]!),
    );
    for (const [index, operation] of operations.entries()) {
      await verifyOperation(graph, redis, operation, targets[index]!, inRedis);
    }
    const { loads, statementsPerRequest, slices } = await measureAlternating(graph, targets, settings, signal);
    const measurements = operations.map(
      (operation, index): Measurement => ({
        operation,
        load: loads[index]!,
        statementsPerRequest: statementsPerRequest[index]!,
        tally: tallies[index]!,
      }),
    );
    return {
      limited: measurements[0]!,
      unlimited: measurements[1]!,
      scriptRuns: inRedis ? (await scriptRuns(redis)) - scriptsBefore : null,
      slices,
    };
  } finally {
    if (graph) {
      // Let requests still in flight (after an interrupted or failed run) finish first.
      await settle(graph);
      await graph.close();
    }
    await database.drop();
    const deleted = await deleteKeys(redis, counterKeys(addresses.issued));
    progress(
      `graph closed, database dropped, ${deleted} refreshSession counters deleted from Redis ` +
        `(${addresses.issued} client addresses used)`,
    );
  }
}

/**
 * Client addresses in order, one per request: with random ones, two requests of a long
 * run would now and then share one, and (past 30 a minute) be refused.
 */
class AddressSequence {
  issued = 0;

  next(): string {
    return addressAt(this.issued++);
  }
}

/**
 * Sends `operation` from a new client address per request. Both operations build their
 * requests the same way, so the load generator (in this process) costs both the same.
 */
function loadTarget(
  graph: BenchGraph,
  operation: Operation,
  addresses: AddressSequence,
  tally: Tally,
): LoadTarget {
  return {
    name: operation.name,
    url: graph.gateway.url,
    body: graphQLBody(operation.query),
    // The bench graph trusts one proxy hop: this is the client address the limit counts by.
    headers: () => ({ 'x-forwarded-for': addresses.next() }),
    accepts: (body) => {
      tally.responses++;
      if (body.includes('RATE_LIMITED')) {
        tally.rateLimited++;
        return false;
      }
      return operation.isRightAnswer(body);
    },
  };
}

/**
 * Sends the operation once and fails unless it gets its right answer, with the RateLimit
 * headers of a limited field or none, and (limited, `inRedis`) counted by a script run in
 * Redis: the services fall back to memory silently when Redis is away, and that would
 * measure something else.
 */
async function verifyOperation(
  graph: BenchGraph,
  redis: Redis,
  operation: Operation,
  target: LoadTarget,
  inRedis: boolean,
): Promise<void> {
  const scriptsBefore = await scriptRuns(redis);
  const statementsBefore = graph.statementCount();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers() },
    body: target.body,
  });
  const body = await response.text();
  await settle(graph);
  const statements = graph.statementCount() - statementsBefore;
  const counted = (await scriptRuns(redis)) - scriptsBefore;
  const header = response.headers.get('ratelimit-limit');
  const fail = (problem: string): never => {
    throw new Error(`${operation.name}: ${problem}\n${body}`);
  };
  if (response.status !== 200 || !operation.isRightAnswer(body)) {
    fail(`unexpected answer (status ${response.status})`);
  }
  if (header !== operation.rateLimitHeader) {
    fail(`RateLimit-Limit is ${header ?? 'absent'}, expected ${operation.rateLimitHeader ?? 'none'}`);
  }
  if (inRedis && operation.rateLimitHeader !== null && counted < 1) {
    fail('Redis ran no script: the limit was not counted there');
  }
  progress(`verified ${operation.name}: ${body.trim()} (RateLimit-Limit ${header ?? 'none'}, ${statements} SQL)`);
}

/**
 * Warms each target up, then measures them in turn in slices of about `sliceSeconds`,
 * in the order ABBA ABBA…: each is measured first as often as second, and both see the
 * same drift. Counts the SQL statements each target's requests sent, letting the graph
 * settle between slices so a slice's stragglers are not the next one's.
 */
async function measureAlternating(
  graph: BenchGraph,
  targets: readonly LoadTarget[],
  settings: Settings,
  signal: AbortSignal,
): Promise<{ loads: LoadResult[]; statementsPerRequest: number[]; slices: number }> {
  const { connections } = settings;
  for (const target of targets) {
    progress(`${target.name}: warming up for ${settings.warmupSeconds} s…`);
    await runLoad(target, { durationSeconds: settings.warmupSeconds, connections, signal });
    await settle(graph);
  }
  const slices = Math.max(1, Math.round(settings.durationSeconds / sliceSeconds));
  const durationSeconds = settings.durationSeconds / slices;
  progress(
    `measuring ${settings.durationSeconds} s per operation in ${slices} alternating slices ` +
      `with ${connections} connections…`,
  );
  const runs = targets.map((): LoadResult[] => []);
  const statements = targets.map(() => 0);
  const indexes = [...targets.keys()];
  for (let slice = 0; slice < slices; slice++) {
    for (const index of slice % 2 === 0 ? indexes : indexes.toReversed()) {
      signal.throwIfAborted();
      const before = graph.statementCount();
      runs[index]!.push(await runLoad(targets[index]!, { durationSeconds, connections, signal }));
      await settle(graph);
      statements[index]! += graph.statementCount() - before;
    }
  }
  const loads = runs.map(combineLoads);
  // Divided by requests sent, not answered: the server finishes those still in flight
  // when a slice stops, and their statements were counted (see dashboard-query.ts).
  return { loads, statementsPerRequest: loads.map((load, index) => statements[index]! / load.sent), slices };
}

/** The Redis keys of refreshSession's counters for the first `count` addresses. */
function* counterKeys(count: number): Generator<string> {
  // rateLimitKey reads only the parent type's name and the field's from the resolve info.
  const info = {
    parentType: { name: limitedField.parentType },
    fieldName: limitedField.fieldName,
  } as unknown as Parameters<typeof rateLimitKey>[4];
  for (let index = 0; index < count; index++) {
    const claims: Claims = {
      v: 1,
      actor: { type: 'anonymous' },
      requestId: 'bench',
      clientIp: addressAt(index),
      userAgent: null,
    };
    yield rateLimitKey([...limitedField.by], claims, {}, undefined, info);
  }
}

// ---------------------------------------------------------------------------------------
// Report

function report(settings: Settings, endToEnd: EndToEnd, stores: readonly StoreRow[]): string {
  const { limited, unlimited } = endToEnd;
  return [
    '',
    `Rate-limit latency; Node ${process.version}, ${cpus().length} CPUs`,
    '',
    `(a) End to end through the gateway, ${countersIn(settings)}: ${settings.connections} connections, ` +
      `${settings.durationSeconds} s per operation in ${endToEnd.slices} alternating slices, ` +
      `after a ${settings.warmupSeconds} s warm-up each; every request from its own client address`,
    '',
    loadTable([limited, unlimited]),
    '',
    differenceTable(limited.load, unlimited.load),
    '',
    ...checks(endToEnd).map((line) => `  ${line}`),
    '',
    `(b) The stores alone, Redis at ${settings.redisUrl}: ${storeHits} uses per row, ` +
      `each on its own counter (limit ${storeLimit.limit} per ${storeLimit.windowMs / 1000} s), ` +
      `after ${storeWarmupHits} unmeasured`,
    '',
    storeTable(stores),
    '',
  ].join('\n');
}

function countersIn(settings: Settings): string {
  return settings.counters === 'redis'
    ? `counters in Redis (${settings.redisUrl})`
    : 'counters in memory (BENCH_RATE_LIMIT_STORE=memory, a control)';
}

function loadTable(measurements: readonly Measurement[]): string {
  return formatTable(
    [
      { title: 'operation' },
      { title: 'req/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p95 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'responses', align: 'right' },
      { title: 'non-2xx', align: 'right' },
      { title: 'errors', align: 'right' },
      { title: 'wrong answers', align: 'right' },
      { title: 'SQL/request', align: 'right' },
    ],
    measurements.map(({ operation, load, statementsPerRequest }) => [
      operation.name,
      fixed(load.requestsPerSecond, 1),
      fixed(load.latencyMs.p50, 2),
      fixed(load.latencyMs.p95, 2),
      fixed(load.latencyMs.p99, 2),
      String(load.completed),
      String(load.non2xx),
      String(load.errors),
      String(load.wrongAnswers),
      fixed(statementsPerRequest, 2),
    ]),
  );
}

/** What the limited field costs over the unlimited one: difference, and ratio (1.00× = free). */
function differenceTable(limited: LoadResult, unlimited: LoadResult): string {
  const row = (name: string, a: number, b: number, digits: number) => [
    name,
    fixed(a, digits),
    fixed(b, digits),
    signed(a - b, digits),
    `${fixed(a / b, 2)}×`,
  ];
  return formatTable(
    [
      { title: 'limited vs not limited' },
      { title: 'limited', align: 'right' },
      { title: 'not limited', align: 'right' },
      { title: 'difference', align: 'right' },
      { title: 'limited ÷ not', align: 'right' },
    ],
    [
      row('p50 ms', limited.latencyMs.p50, unlimited.latencyMs.p50, 2),
      row('p99 ms', limited.latencyMs.p99, unlimited.latencyMs.p99, 2),
      row('req/s', limited.requestsPerSecond, unlimited.requestsPerSecond, 1),
    ],
  );
}

/** The conditions that make the comparison mean what it says, as measured. */
function checks({ limited, unlimited, scriptRuns: runs }: EndToEnd): string[] {
  const responses = limited.tally.responses + unlimited.tally.responses;
  const rateLimited = limited.tally.rateLimited + unlimited.tally.rateLimited;
  const lines = [`RATE_LIMITED answers: ${rateLimited} of ${responses} responses (warm-ups included)`];
  if (runs !== null) {
    lines.push(
      `Redis ran ${runs} Lua scripts meanwhile for ${limited.tally.responses} limited responses ` +
        '(at least one each: counted in Redis, not in the memory fallback; other clients may add some)',
    );
  }
  return lines;
}

function storeTable(rows: readonly StoreRow[]): string {
  return formatTable(
    [
      { title: 'store' },
      { title: 'calls' },
      { title: 'p50 µs/use', align: 'right' },
      { title: 'p99 µs/use', align: 'right' },
      { title: 'uses/s', align: 'right' },
    ],
    rows.map(({ store, pattern, timings }) => [
      store,
      pattern,
      fixed(timings.p50Us, 1),
      fixed(timings.p99Us, 1),
      fixed(timings.hitsPerSecond, 0),
    ]),
  );
}

function signed(value: number, digits: number): string {
  return value > 0 ? `+${fixed(value, digits)}` : fixed(value, digits);
}

/**
 * Figures that include failed or refused requests, or limits not counted in Redis, would
 * compare something else: say so with the exit code.
 */
function assertComparable({ limited, unlimited, scriptRuns: runs }: EndToEnd): void {
  const problems: string[] = [];
  for (const { operation, load, tally } of [limited, unlimited]) {
    if (load.non2xx > 0 || load.errors > 0 || load.wrongAnswers > 0 || load.completed === 0) {
      problems.push(`requests failed or were answered wrongly during the run against ${operation.name}`);
    }
    if (tally.rateLimited > 0) problems.push(`${tally.rateLimited} ${operation.name} answers were RATE_LIMITED`);
  }
  if (runs !== null && runs < limited.tally.responses) {
    problems.push(
      `Redis ran ${runs} scripts for ${limited.tally.responses} limited responses: some were counted in memory`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}

runBenchmark(main);
