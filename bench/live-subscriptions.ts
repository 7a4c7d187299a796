/**
 * Measures what live page editing asks of one gateway process: how many `pageEvents`
 * subscribers it holds and what each one costs in memory, and how long an accepted edit
 * takes to reach every subscriber at a steady rate of edits.
 *
 * The whole graph (gateway, identity, audit, cms) runs in this process on a scratch
 * database, with its events in Redis as in production (under a channel prefix of this
 * run's own), and so do the subscribers' graphql-ws clients, one WebSocket each for up to
 * 25 subscriptions. Every figure therefore includes the clients' own work and memory, and
 * the cms's side of each subscription (its event stream to the gateway, its Redis
 * listener): one gateway process on its own holds at least as many subscribers as this
 * shows, at no more memory each, and delivers at least as fast. Compare runs made on the
 * same, otherwise idle machine rather than absolute numbers across machines.
 *
 * Subscriptions are packed as the gateway's default limits allow (25 per WebSocket, 100
 * per user on one gateway, or BENCH_SUBSCRIPTIONS_PER_USER; passed to the graph
 * explicitly, so packing and limits agree): 4 WebSockets per user, as many users as
 * needed, all VIEWERs of the page's organization.
 * Each subscribes with `afterVersion` one behind the page, so its first event is the
 * page's latest operation read back from storage: a subscriber counts as open once that
 * event has reached it, which takes the whole path (connection_init, the gateway's
 * stream to the cms, the cms's Redis subscription, the author completed by identity).
 * At most BENCH_OPEN_CONCURRENCY subscriptions are being set up at any time (a
 * connection's worth at a time, as clients reconnecting with jitter arrive): each one
 * makes its own connection from the gateway to the cms, and thousands at once can
 * overflow the cms's accept queue or outlast the gateway's 10 s connect timeout (set it
 * to the largest step to measure such a burst). A warm-up of 50 subscribers, not
 * reported, runs first, so that the first step does not pay for compiling the code.
 *
 * (1) Subscribers held: for each step, opens that many subscriptions, then sends one
 *     probe edit, which every subscriber must receive. `open s`: from the first
 *     connection to the last subscriber's first event. Heap and RSS: their growth with
 *     every subscription open, over a reading taken before opening, both after forced
 *     GCs, in total and per subscriber (kB = 10^3 bytes, MB = 10^6). RSS is indicative
 *     only: the allocator keeps pages freed by an earlier step and hands them out again.
 *     `heap kept`: heap still in use after every subscription closed and a forced GC,
 *     over the same reading (a leak would stay there). Each step closes its
 *     subscriptions, and waits until the cms has let go of the page's Redis channel,
 *     before the next one starts.
 * (2) Delivery latency: with BENCH_LATENCY_SUBSCRIBERS subscribers on the page, edits are
 *     sent at each steady rate for BENCH_PUBLISH_SECONDS, on schedule (never waiting for
 *     an earlier answer, so a slow graph cannot slow the load down), over HTTP by a few
 *     MEMBERs taking turns, each retitling a Hero node of its own; the title carries the
 *     edit's number and send time. submitPageOperations is limited to 600 a minute per
 *     user: the run uses enough editors to keep each under half that, whatever the
 *     settings. Latency is per event and subscriber: from just before the edit's request
 *     left to the event's arrival in the subscriber's handler, matched by submissionId
 *     (the event carries it unchanged while the operation may be transformed).
 *
 *     The gateway completes each event (its author, from identity) once per audience (one
 *     user's identical subscriptions) and streams it from the cms once per group of them
 *     that subscribed together, so what an edit costs grows with the audiences, then with
 *     the sockets it is written to: `deliveries/s asked` is the rate times the
 *     subscribers, `delivered/s` what the process made, from the first edit sent to the
 *     last arrival. Where the first exceeds the second, events queue for as long as the
 *     rate is held and the latency measures that queue, not one delivery.
 *     BENCH_SUBSCRIPTIONS_PER_USER sets how many subscribers make one audience.
 *     `CPU ms/delivery` and `SQL/delivery` (the edits' own included) show
 *     what each delivery costs.
 *
 *     Every subscriber must receive every edit, once, in version order. `missing`:
 *     deliveries not received when the wait ends (every subscriber has the last edit, or
 *     30 s after the last answer): lost, or still queued; `repeated` and `skipped`:
 *     versions received again or out of order, and versions jumped over; `subs ended`:
 *     subscriptions ended early (the gateway drops a subscriber more than 256 events
 *     behind). `send lag`: how late an edit left against its schedule, at most (a busy
 *     event loop shows here); CPU: this process's, where 100% is one core; loop delay:
 *     the event loop's, sampled every 10 ms. Higher rates are also compared with the
 *     lowest as ratios.
 *
 * The run fails (exit code 1, after printing everything) if any subscription was refused
 * or ended, any delivery missing, repeated or skipped, any edit refused, or the page's
 * events did not travel through Redis.
 *
 * `pnpm bench:live` (it needs --expose-gc, which that script passes); tune with:
 *
 * - BENCH_SUBSCRIBER_STEPS: comma-separated subscriber counts for (1)
 *   (default 250,500,1000,2000)
 * - BENCH_LATENCY_SUBSCRIBERS: subscribers during (2) (default 500)
 * - BENCH_OPEN_CONCURRENCY: subscriptions set up at once, at most (default 250)
 * - BENCH_SUBSCRIPTIONS_PER_USER: subscriptions each viewer opens, at most (default 100,
 *   the gateway's limit; 25 per WebSocket). The gateway shares a subgraph stream and each
 *   event's completion between one user's identical subscriptions: fewer per user means
 *   more distinct audiences, each paid for in full. Organizations take 30 new members a
 *   minute, so the run seeds at most 29 viewers: subscribers, and the warm-up's 50,
 *   ≤ 29 × this.
 * - BENCH_PUBLISH_RATES: comma-separated edits per second for (2), decimals allowed
 *   (default 0.2,1)
 * - BENCH_PUBLISH_SECONDS: how long (2) holds each rate (default 10)
 * - BENCH_LOG_LEVEL: the graph's log level (default silent: logging would be measured
 *   too); `warn` shows, on stdout, why a subscription failed or an event lost its author.
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 * - BENCH_REDIS_URL: the Redis the graph's events travel through (default
 *   redis://127.0.0.1:6379). Channels are not stored; the run leaves only the few
 *   rate-limit counters its sign-ups and edits made, which expire within the hour.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ConfigError, loadEnv, logLevel, positiveInt, url, type Redis } from '@token-nexus/shared';
import { GraphQLClient } from './kit/client.ts';
import { sleep } from './kit/concurrency.ts';
import { createScratchDatabase } from './kit/database.ts';
import { settle, startBenchGraph, type BenchGraph } from './kit/graph.ts';
import { seedLivePage } from './kit/live-page.ts';
import { percentile } from './kit/load.ts';
import { canCollectGarbage, collectGarbage, type MemoryReading } from './kit/memory.ts';
import { PageEditPublisher, type EditOutcome } from './kit/page-edits.ts';
import { PageEventTally, pageEventsSubscription } from './kit/page-event-tally.ts';
import { connectRedis } from './kit/redis.ts';
import { fixed, formatTable } from './kit/table.ts';
import {
  openSubscriptions,
  usersFor,
  type OpenedSubscriptions,
  type SubscriptionLimits,
} from './kit/websocket-subscriptions.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

const defaultSteps = [250, 500, 1_000, 2_000];
/** Edits per second: see the header on why these are low. */
const defaultRates = [0.2, 1];

/**
 * The gateway's defaults (SUBSCRIPTIONS_PER_CONNECTION, SUBSCRIPTIONS_PER_USER in
 * gateway/src/config.ts), given to the graph explicitly so that the run packs
 * subscriptions exactly as the gateway allows even if a default changes.
 */
const defaultLimits: SubscriptionLimits = { perConnection: 25, perUser: 100 };

/**
 * The packing of a run: the gateway's defaults, or fewer subscriptions per user
 * (BENCH_SUBSCRIPTIONS_PER_USER) so that more of them are distinct audiences: the gateway
 * shares streams and completions only between one user's identical subscriptions.
 */
function limitsOf(settings: Pick<Settings, 'subscriptionsPerUser'>): SubscriptionLimits {
  const perUser = settings.subscriptionsPerUser;
  return { perConnection: Math.min(defaultLimits.perConnection, perUser), perUser };
}

/** Half of submitPageOperations' 600 a minute per user, for the whole run. */
const editsPerEditor = 300;
const warmUpSubscribers = 50;

const openTimeoutMs = 90_000;
/** For an edit to reach every subscriber, once all of them are open. */
const deliveryTimeoutMs = 30_000;
/** For the cms to let go of the page's channel once the clients have closed. */
const releaseTimeoutMs = 30_000;
const pollIntervalMs = 20;
/** Times a Redis question is asked before a timeout fails the run (see pageChannelSubscribers). */
const redisAttempts = 10;

interface Settings {
  adminUrl: string;
  redisUrl: string;
  /** Ascending, without repeats. */
  steps: number[];
  latencySubscribers: number;
  /** Subscriptions being set up at once, at most. */
  openConcurrency: number;
  /** Subscriptions per viewer, at most. */
  subscriptionsPerUser: number;
  /** Ascending, without repeats. */
  rates: number[];
  publishSeconds: number;
  /** The graph's; silent unless asked, since logging would be part of what is measured. */
  logLevel: string;
}

/** What every part of the run shares. */
interface Run {
  settings: Settings;
  graph: BenchGraph;
  redis: Redis;
  pageId: string;
  /** The Redis channel the page's events travel on. */
  channel: string;
  viewerTokens: string[];
  publisher: PageEditPublisher;
  signal: AbortSignal;
}

interface Probe {
  /** A refused probe reaches nobody. */
  outcome: EditOutcome;
  /** Subscribers that received it. */
  received: number;
  p50Ms: number;
  lastMs: number;
}

interface StepResult {
  subscribers: number;
  connections: number;
  users: number;
  /** From the first connection to the last subscriber's first event (NaN: not all opened). */
  openMs: number;
  /** Subscribers of the page's Redis channel while all were open: 1 (the cms) when events go through Redis. */
  channelSubscribers: number;
  baseline: MemoryReading;
  held: MemoryReading;
  heapKept: number;
  probe: Probe;
  tally: PageEventTally;
  released: boolean;
}

interface RateResult {
  rate: number;
  scheduled: number;
  accepted: number;
  refusals: string[];
  /** Edits sent per second, first to last. */
  sentPerSecond: number;
  /** How late an edit left against its schedule, at most. */
  maxLagMs: number;
  /** Deliveries a second asked for: the rate times the subscribers. */
  offeredPerSecond: number;
  /** Deliveries a second made, from the first edit sent to the last delivery. */
  deliveredPerSecond: number;
  expected: number;
  delivered: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  submitMs: { p50: number; p99: number };
  /** Tally counters during this rate only. */
  repeated: number;
  skippedVersions: number;
  ended: number;
  withErrors: number;
  withoutAuthor: number;
  /** Whether every subscriber had every accepted edit before the timeout. */
  drained: boolean;
  cpuPercent: number;
  /** This process's CPU time per delivery, the edits' own included. */
  cpuMsPerDelivery: number;
  /** SQL statements the subgraphs sent per delivery, the edits' own included. */
  statementsPerDelivery: number;
  loopDelayMs: { p99: number; max: number };
}

interface Delivery {
  subscribers: number;
  openMs: number;
  channelSubscribers: number;
  rates: RateResult[];
  tally: PageEventTally;
  released: boolean;
}

/**
 * Aborted by Ctrl-C. Module-wide so that the last resort below can tell an interrupted
 * step, which may fail with an error of its own (a closed connection, an aborted wait).
 */
const interrupt = new AbortController();

async function main(): Promise<void> {
  const settings = readSettings();
  if (!canCollectGarbage()) {
    throw new Error(
      'run with --expose-gc (`pnpm bench:live`, or `tsx --expose-gc bench/live-subscriptions.ts`): ' +
        'without a forced collection, the memory readings would include garbage',
    );
  }
  // `on`, not `once`: under pnpm the process can get the same Ctrl-C twice (see audit-export.ts).
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  const { signal } = interrupt;

  const redis = await connectRedis(settings.redisUrl, 'tnx-bench-live');
  try {
    const database = await createScratchDatabase(settings.adminUrl);
    let graph: BenchGraph | undefined;
    try {
      // Events of this run only: nobody else sharing the Redis hears them, nor they anyone's.
      const channelPrefix = `tnx-bench-live-${randomUUID()}:`;
      progress(`database ${new URL(database.url).pathname.slice(1)} created; starting the graph…`);
      graph = await startBenchGraph(database.url, {
        redisUrl: settings.redisUrl,
        env: {
          EVENT_CHANNEL_PREFIX: channelPrefix,
          SUBSCRIPTIONS_PER_CONNECTION: String(limitsOf(settings).perConnection),
          SUBSCRIPTIONS_PER_USER: String(limitsOf(settings).perUser),
          LOG_LEVEL: settings.logLevel,
        },
      });
      const run = await seed(settings, graph, redis, channelPrefix, signal);

      progress(`warm-up: ${warmUpSubscribers} subscribers…`);
      const warmUp = await measureStep(run, warmUpSubscribers);
      const steps: StepResult[] = [];
      for (const count of settings.steps) steps.push(await measureStep(run, count));
      const delivery = await measureDelivery(run);

      const problems = problemsOf(warmUp, steps, delivery);
      console.log(report(settings, steps, delivery, problems));
      if (problems.length > 0) throw new Error(`the run found problems:\n  ${problems.join('\n  ')}`);
    } finally {
      if (graph) {
        await settle(graph);
        await graph.close();
      }
      await database.drop();
      progress('graph closed, database dropped');
    }
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
    BENCH_LATENCY_SUBSCRIBERS: positiveInt(500),
    BENCH_OPEN_CONCURRENCY: positiveInt(250),
    BENCH_SUBSCRIPTIONS_PER_USER: positiveInt(defaultLimits.perUser),
    BENCH_PUBLISH_SECONDS: positiveInt(10),
    BENCH_LOG_LEVEL: logLevel.default('silent'),
  }));
  return {
    adminUrl: vars.BENCH_POSTGRES_URL,
    redisUrl: vars.BENCH_REDIS_URL,
    steps: parseCounts('BENCH_SUBSCRIBER_STEPS', process.env.BENCH_SUBSCRIBER_STEPS, defaultSteps),
    latencySubscribers: vars.BENCH_LATENCY_SUBSCRIBERS,
    openConcurrency: vars.BENCH_OPEN_CONCURRENCY,
    subscriptionsPerUser: vars.BENCH_SUBSCRIPTIONS_PER_USER,
    rates: parseRates(process.env.BENCH_PUBLISH_RATES),
    publishSeconds: vars.BENCH_PUBLISH_SECONDS,
    logLevel: vars.BENCH_LOG_LEVEL,
  };
}

/** `250,500` (underscores allowed: `1_000`) as ascending, distinct whole numbers. */
function parseCounts(variable: string, raw: string | undefined, defaults: number[]): number[] {
  if (raw === undefined || raw.trim() === '') return defaults;
  const counts = raw.split(',').map((part) => Number(part.trim().replaceAll('_', '')));
  if (counts.some((count) => !Number.isSafeInteger(count) || count < 1)) {
    throw new ConfigError([{ variable, message: 'must be comma-separated positive whole numbers' }]);
  }
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** `0.5,2` as ascending, distinct edits per second; at most 100 (a browser editor sends far fewer). */
function parseRates(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return defaultRates;
  const rates = raw.split(',').map((part) => Number(part.trim()));
  if (rates.some((rate) => !Number.isFinite(rate) || rate <= 0 || rate > 100)) {
    throw new ConfigError([
      { variable: 'BENCH_PUBLISH_RATES', message: 'must be comma-separated numbers above 0, at most 100' },
    ]);
  }
  return [...new Set(rates)].sort((a, b) => a - b);
}

/**
 * Seeds the page, its editors and enough viewers for the largest step, and makes the
 * first edit: a subscriber opens by receiving the page's latest operation, and a new
 * page has none yet.
 */
async function seed(
  settings: Settings,
  graph: BenchGraph,
  redis: Redis,
  channelPrefix: string,
  signal: AbortSignal,
): Promise<Run> {
  const largest = Math.max(warmUpSubscribers, ...settings.steps, settings.latencySubscribers);
  const edits =
    2 + settings.steps.length + settings.rates.reduce((sum, rate) => sum + editsAt(rate, settings), 0);
  const editors = Math.ceil(edits / editsPerEditor);
  const viewers = usersFor(largest, limitsOf(settings));
  progress(`seeding ${editors} editors and ${viewers} viewers through the API (argon2 sign-ups)…`);
  const page = await seedLivePage(new GraphQLClient(graph.gateway.url), { editors, viewers });
  const publisher = new PageEditPublisher(page.pageId, page.editors, page.version);
  const first = await publisher.publish();
  if (!first.accepted) throw new Error(`the first edit was refused: ${first.error}`);
  return {
    settings,
    graph,
    redis,
    pageId: page.pageId,
    // Where the cms publishes the page's events (pageTopic in cms/src/live/page-events.ts).
    channel: `${channelPrefix}cms.page.${page.pageId}`,
    viewerTokens: page.viewers.map((viewer) => viewer.client.token!),
    publisher,
    signal,
  };
}

// ---------------------------------------------------------------------------------------
// (1) Subscribers held

async function measureStep(run: Run, subscribers: number): Promise<StepResult> {
  const tally = new PageEventTally(subscribers);
  const baseline = collectGarbage();
  const startedAt = performance.now();
  const subscriptions = subscribe(run, tally);
  progress(
    `${subscribers} subscribers on ${subscriptions.connections} connections of ${subscriptions.users} users: opening…`,
  );
  let result: Omit<StepResult, 'heapKept' | 'released'>;
  let released = false;
  try {
    await waitUntil(() => tally.ready + tally.ended >= subscribers, openTimeoutMs, run.signal);
    const openMs = tally.lastFirstArrival() - startedAt;
    const channelSubscribers = await pageChannelSubscribers(run);
    const probe = await sendProbe(run, tally);
    const held = collectGarbage();
    result = {
      subscribers,
      connections: subscriptions.connections,
      users: subscriptions.users,
      openMs,
      channelSubscribers,
      baseline,
      held,
      probe,
      tally,
    };
  } finally {
    released = await closeSubscriptions(run, subscriptions);
  }
  const heapKept = collectGarbage().heapUsed - baseline.heapUsed;
  progress(
    `${subscribers} subscribers: open in ${seconds(result.openMs)} s, ` +
      `heap +${kilobytes((result.held.heapUsed - baseline.heapUsed) / subscribers)} kB each, ` +
      `probe received by ${result.probe.received}`,
  );
  return { ...result, heapKept, released };
}

/** One edit, which every open subscriber must receive. */
async function sendProbe(run: Run, tally: PageEventTally): Promise<Probe> {
  const arrivals: number[] = [];
  let probeId: string | undefined;
  tally.onOperation = (_index, operation, arrivedAt) => {
    if (operation.submissionId === probeId) arrivals.push(arrivedAt);
  };
  try {
    const outcome = await run.publisher.publish((submissionId) => (probeId = submissionId));
    if (outcome.accepted) {
      await waitUntil(() => tally.settled(outcome.version) >= tally.count, deliveryTimeoutMs, run.signal);
    }
    const delays = arrivals.map((arrivedAt) => arrivedAt - outcome.sentAt).sort((a, b) => a - b);
    return {
      outcome,
      received: arrivals.length,
      p50Ms: percentile(delays, 50),
      lastMs: delays.at(-1) ?? Number.NaN,
    };
  } finally {
    tally.onOperation = undefined;
  }
}

// ---------------------------------------------------------------------------------------
// (2) Delivery latency

async function measureDelivery(run: Run): Promise<Delivery> {
  const subscribers = run.settings.latencySubscribers;
  const tally = new PageEventTally(subscribers);
  const startedAt = performance.now();
  const subscriptions = subscribe(run, tally);
  progress(`delivery: ${subscribers} subscribers on ${subscriptions.connections} connections: opening…`);
  let delivery: Omit<Delivery, 'released'>;
  let released = false;
  try {
    await waitUntil(() => tally.ready + tally.ended >= subscribers, openTimeoutMs, run.signal);
    const openMs = tally.lastFirstArrival() - startedAt;
    const channelSubscribers = await pageChannelSubscribers(run);
    const rates: RateResult[] = [];
    for (const rate of run.settings.rates) {
      await settle(run.graph);
      progress(`delivery: ${rate} edits/s for ${run.settings.publishSeconds} s to ${subscribers} subscribers…`);
      const result = await publishAtRate(run, tally, rate);
      progress(
        `delivery at ${rate}/s: ${result.delivered} of ${result.expected} delivered, ` +
          `p50 ${fixed(result.latencyMs.p50, 1)} ms, p99 ${fixed(result.latencyMs.p99, 1)} ms`,
      );
      rates.push(result);
    }
    delivery = { subscribers, openMs, channelSubscribers, rates, tally };
  } finally {
    released = await closeSubscriptions(run, subscriptions);
  }
  return { ...delivery, released };
}

/** How many edits `rate` a second makes over the configured time (at least one). */
function editsAt(rate: number, settings: Settings): number {
  return Math.max(1, Math.round(rate * settings.publishSeconds));
}

/**
 * Sends `rate` edits a second for the configured time, each at its due time whatever the
 * earlier ones are doing, then waits until every subscriber has every accepted edit (or
 * its subscription has ended, or the wait times out).
 */
async function publishAtRate(run: Run, tally: PageEventTally, rate: number): Promise<RateResult> {
  const scheduled = editsAt(rate, run.settings);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastArrival = Number.NaN;
  tally.onOperation = (_index, operation, arrivedAt) => {
    const sent = operation.submissionId === null ? undefined : sentAt.get(operation.submissionId);
    if (sent === undefined) return;
    latencies.push(arrivedAt - sent);
    lastArrival = arrivedAt;
  };
  const before = counters(tally);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const statementsBefore = run.graph.statementCount();
  const startedAt = performance.now();
  const outcomes: Promise<EditOutcome>[] = [];
  let maxLagMs = 0;
  let lastSentAt = startedAt;
  try {
    for (let index = 0; index < scheduled; index++) {
      run.signal.throwIfAborted();
      const due = startedAt + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      lastSentAt = performance.now();
      maxLagMs = Math.max(maxLagMs, lastSentAt - due);
      outcomes.push(run.publisher.publish((submissionId, at) => sentAt.set(submissionId, at)));
    }
    const settled = await Promise.all(outcomes);
    const accepted = settled.filter((outcome) => outcome.accepted);
    const lastVersion = Math.max(0, ...accepted.map((outcome) => outcome.version));
    const drained = await waitUntil(
      () => tally.settled(lastVersion) >= tally.count,
      deliveryTimeoutMs,
      run.signal,
    );
    const elapsedMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const statements = run.graph.statementCount() - statementsBefore;
    const after = counters(tally);
    latencies.sort((a, b) => a - b);
    const submits = accepted.map((outcome) => outcome.roundTripMs).sort((a, b) => a - b);
    return {
      rate,
      scheduled,
      accepted: accepted.length,
      refusals: settled.flatMap((outcome) => (outcome.accepted ? [] : [outcome.error])),
      sentPerSecond: scheduled > 1 ? ((scheduled - 1) * 1000) / (lastSentAt - startedAt) : Number.NaN,
      maxLagMs,
      offeredPerSecond: rate * tally.count,
      deliveredPerSecond: (latencies.length * 1000) / (lastArrival - startedAt),
      expected: accepted.length * tally.count,
      delivered: latencies.length,
      latencyMs: {
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      submitMs: { p50: percentile(submits, 50), p99: percentile(submits, 99) },
      repeated: after.repeated - before.repeated,
      skippedVersions: after.skippedVersions - before.skippedVersions,
      ended: after.ended - before.ended,
      withErrors: after.withErrors - before.withErrors,
      withoutAuthor: after.withoutAuthor - before.withoutAuthor,
      drained,
      cpuPercent: (cpuMs / elapsedMs) * 100,
      cpuMsPerDelivery: cpuMs / latencies.length,
      statementsPerDelivery: statements / latencies.length,
      loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    };
  } finally {
    loopDelay.disable();
    tally.onOperation = undefined;
    // Edits still in flight after an interruption: let them finish before the graph closes.
    await Promise.allSettled(outcomes);
  }
}

function counters(tally: PageEventTally) {
  const { repeated, skippedVersions, ended, withErrors, withoutAuthor } = tally;
  return { repeated, skippedVersions, ended, withErrors, withoutAuthor };
}

// ---------------------------------------------------------------------------------------
// Subscriptions

/** Opens `tally.count` subscriptions to the page, each starting one version behind it. */
function subscribe(run: Run, tally: PageEventTally): OpenedSubscriptions {
  return openSubscriptions({
    graphqlUrl: run.graph.gateway.url,
    tokens: run.viewerTokens,
    count: tally.count,
    limits: limitsOf(run.settings),
    settingUp: run.settings.openConcurrency,
    query: pageEventsSubscription,
    variables: { pageId: run.pageId, afterVersion: run.publisher.version - 1 },
    sink: tally,
  });
}

/**
 * Closes the clients, then waits until the cms has unsubscribed from the page's channel:
 * its last stream has closed, so the gateway has let go of every subscription (and given
 * back every user's places) and the next step starts from nothing.
 * @returns whether that happened before the timeout.
 */
async function closeSubscriptions(run: Run, subscriptions: OpenedSubscriptions): Promise<boolean> {
  await subscriptions.close();
  const released = await waitUntil(
    async () => (await pageChannelSubscribers(run)) === 0,
    releaseTimeoutMs,
    // Not the run's signal: after Ctrl-C, the graph must still let go before it closes.
    undefined,
  );
  await settle(run.graph);
  return released;
}

/**
 * Connections subscribed to the page's channel in Redis (PUBSUB NUMSUB). The run's Redis
 * client is made as the services make theirs, failing a command after 500 ms, and with
 * thousands of subscribers the event loop it shares with the graph can stall for longer
 * (a full GC of a large heap, a burst of events): a timed-out question is asked again.
 */
async function pageChannelSubscribers(run: Run): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [, count] = (await run.redis.call('PUBSUB', 'NUMSUB', run.channel)) as [string, number];
      return count;
    } catch (error) {
      if (attempt === redisAttempts || !/timed out/i.test((error as Error).message)) throw error;
    }
  }
}

/**
 * Polls `condition` until it holds or `timeoutMs` passes.
 * @returns whether it held.
 */
async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await condition()) return true;
    if (performance.now() > deadline) return false;
    await sleep(pollIntervalMs);
  }
}

// ---------------------------------------------------------------------------------------
// Report

/** Everything that makes the figures wrong or shows the graph breaking its promises. */
function problemsOf(warmUp: StepResult, steps: readonly StepResult[], delivery: Delivery): string[] {
  const problems: string[] = [];
  for (const [index, step] of [warmUp, ...steps].entries()) {
    const where = index === 0 ? 'warm-up' : `${count(step.subscribers)} subscribers`;
    problems.push(...subscriptionProblems(where, step.tally, step.channelSubscribers, step.released));
    const { probe } = step;
    if (!probe.outcome.accepted) problems.push(`${where}: the probe edit was refused: ${probe.outcome.error}`);
    else if (probe.received < step.subscribers) {
      problems.push(`${where}: ${step.subscribers - probe.received} did not receive the probe`);
    }
  }
  const where = `delivery with ${count(delivery.subscribers)} subscribers`;
  problems.push(...subscriptionProblems(where, delivery.tally, delivery.channelSubscribers, delivery.released));
  for (const rate of delivery.rates) {
    const at = `${where} at ${rate.rate}/s`;
    if (rate.refusals.length > 0) problems.push(`${at}: ${rate.refusals.length} edits refused: ${rate.refusals[0]}`);
    if (rate.delivered < rate.expected) {
      problems.push(
        `${at}: ${count(rate.expected - rate.delivered)} of ${count(rate.expected)} deliveries missing ` +
          `(${rate.drained ? 'lost' : `lost or still queued ${deliveryTimeoutMs / 1000} s after the last answer`})`,
      );
    }
  }
  return problems;
}

/** What went wrong with one set of subscriptions, whatever was sent to them. */
function subscriptionProblems(
  where: string,
  tally: PageEventTally,
  channelSubscribers: number,
  released: boolean,
): string[] {
  const problems: string[] = [];
  if (tally.ready < tally.count) problems.push(`${where}: ${count(tally.count - tally.ready)} never opened`);
  if (tally.problems.size > 0) {
    const described = [...tally.problems].map(([message, times]) => `${times}× "${message}"`);
    problems.push(`${where}: ${described.join(', ')}`);
  }
  if (tally.repeated > 0) problems.push(`${where}: ${tally.repeated} events repeated or out of order`);
  if (tally.skippedVersions > 0) problems.push(`${where}: ${tally.skippedVersions} versions skipped`);
  if (tally.withoutAuthor > 0) problems.push(`${where}: ${tally.withoutAuthor} events without their author`);
  if (channelSubscribers < 1) problems.push(`${where}: the page's events did not go through Redis`);
  if (!released) problems.push(`${where}: the cms still listened to the page after every client closed`);
  return problems;
}

function report(settings: Settings, steps: readonly StepResult[], delivery: Delivery, problems: string[]): string {
  return [
    '',
    `Live subscriptions (pageEvents over graphql-ws) through one gateway: Node ${process.version}, ` +
      `${cpus().length} CPUs; the whole graph and every client in this process; events through Redis ` +
      `(${settings.redisUrl}); ${limitsOf(settings).perConnection} subscriptions per WebSocket, ${limitsOf(settings).perUser} per user`,
    '',
    `(1) Subscribers held, each step opened from nothing with at most ${count(settings.openConcurrency)} ` +
      'being set up at once; memory after forced GCs, over a reading taken before opening',
    '',
    stepTable(steps),
    'open s: first connection to last subscriber open (its first event); probe: one edit sent with all open,',
    'ms from sending it to its arrival; heap kept: after all closed and a forced GC (a leak would stay here)',
    '',
    ...stepScaling(steps),
    '',
    `(2) Delivery latency: ${count(delivery.subscribers)} subscribers on one page ` +
      `(open in ${seconds(delivery.openMs)} s), each rate held ${settings.publishSeconds} s; per event and ` +
      'subscriber, from just before submitPageOperations left to arrival at the subscriber',
    '',
    latencyTable(delivery.rates),
    '',
    conditionsTable(delivery.rates),
    'send lag: how late an edit left against its schedule, at most; CPU: this process, 100% = one core;',
    'loop delay: the event loop, sampled every 10 ms',
    '',
    ...rateRatios(delivery.rates),
    '',
    problems.length === 0
      ? 'Every subscriber opened and received every edit once, in order, with its author; nothing lost.'
      : `Problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    '',
  ].join('\n');
}

function stepTable(steps: readonly StepResult[]): string {
  return formatTable(
    [
      { title: 'subscribers', align: 'right' },
      { title: 'sockets', align: 'right' },
      { title: 'users', align: 'right' },
      { title: 'open s', align: 'right' },
      { title: 'opened/s', align: 'right' },
      { title: 'heap +MB', align: 'right' },
      { title: 'heap kB/sub', align: 'right' },
      { title: 'rss +MB', align: 'right' },
      { title: 'rss kB/sub', align: 'right' },
      { title: 'probe received', align: 'right' },
      { title: 'probe p50 ms', align: 'right' },
      { title: 'probe last ms', align: 'right' },
      { title: 'heap kept +MB', align: 'right' },
    ],
    steps.map((step) => {
      const heap = step.held.heapUsed - step.baseline.heapUsed;
      const rss = step.held.rss - step.baseline.rss;
      return [
        count(step.subscribers),
        String(step.connections),
        String(step.users),
        seconds(step.openMs),
        fixed(step.subscribers / (step.openMs / 1000), 0),
        megabytes(heap),
        kilobytes(heap / step.subscribers),
        megabytes(rss),
        kilobytes(rss / step.subscribers),
        `${count(step.probe.received)}/${count(step.subscribers)}`,
        fixed(step.probe.p50Ms, 1),
        fixed(step.probe.lastMs, 1),
        megabytes(step.heapKept),
      ];
    }),
  );
}

/** The largest step against the smallest, per subscriber: ≈ 1× means each costs the same however many. */
function stepScaling(steps: readonly StepResult[]): string[] {
  if (steps.length < 2) return ['Only one step: no scaling ratio to report.'];
  const smallest = steps[0]!;
  const largest = steps.at(-1)!;
  const perSubscriber = (step: StepResult, value: number) => value / step.subscribers;
  const ratio = (value: (step: StepResult) => number) =>
    `${fixed(perSubscriber(largest, value(largest)) / perSubscriber(smallest, value(smallest)), 2)}×`;
  return [
    `Per subscriber, ${count(largest.subscribers)} ÷ ${count(smallest.subscribers)} ` +
      `(${fixed(largest.subscribers / smallest.subscribers, 0)}× the subscribers): ` +
      `heap ${ratio((step) => step.held.heapUsed - step.baseline.heapUsed)}, ` +
      `open time ${ratio((step) => step.openMs)}, ` +
      `probe's last arrival ${ratio((step) => step.probe.lastMs)} (each the same however many ≈ 1×)`,
  ];
}

function latencyTable(rates: readonly RateResult[]): string {
  return formatTable(
    [
      { title: 'edits/s', align: 'right' },
      { title: 'edits', align: 'right' },
      { title: 'sent/s', align: 'right' },
      { title: 'accepted', align: 'right' },
      { title: 'deliveries/s asked', align: 'right' },
      { title: 'delivered/s', align: 'right' },
      { title: 'delivered', align: 'right' },
      { title: 'expected', align: 'right' },
      { title: 'missing', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p90 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'max ms', align: 'right' },
      { title: 'submit p50 ms', align: 'right' },
      { title: 'submit p99 ms', align: 'right' },
    ],
    rates.map((rate) => [
      String(rate.rate),
      count(rate.scheduled),
      fixed(rate.sentPerSecond, 2),
      count(rate.accepted),
      count(rate.offeredPerSecond),
      fixed(rate.deliveredPerSecond, 0),
      count(rate.delivered),
      count(rate.expected),
      count(rate.expected - rate.delivered),
      fixed(rate.latencyMs.p50, 0),
      fixed(rate.latencyMs.p90, 0),
      fixed(rate.latencyMs.p99, 0),
      fixed(rate.latencyMs.max, 0),
      fixed(rate.submitMs.p50, 0),
      fixed(rate.submitMs.p99, 0),
    ]),
  );
}

function conditionsTable(rates: readonly RateResult[]): string {
  return formatTable(
    [
      { title: 'edits/s', align: 'right' },
      { title: 'repeated', align: 'right' },
      { title: 'skipped', align: 'right' },
      { title: 'no author', align: 'right' },
      { title: 'with errors', align: 'right' },
      { title: 'subs ended', align: 'right' },
      { title: 'send lag max ms', align: 'right' },
      { title: 'CPU %', align: 'right' },
      { title: 'CPU ms/delivery', align: 'right' },
      { title: 'SQL/delivery', align: 'right' },
      { title: 'loop delay p99 ms', align: 'right' },
      { title: 'loop delay max ms', align: 'right' },
    ],
    rates.map((rate) => [
      String(rate.rate),
      String(rate.repeated),
      String(rate.skippedVersions),
      String(rate.withoutAuthor),
      String(rate.withErrors),
      String(rate.ended),
      fixed(rate.maxLagMs, 1),
      fixed(rate.cpuPercent, 0),
      fixed(rate.cpuMsPerDelivery, 2),
      fixed(rate.statementsPerDelivery, 2),
      fixed(rate.loopDelayMs.p99, 1),
      fixed(rate.loopDelayMs.max, 1),
    ]),
  );
}

/** Each higher rate against the lowest: how latency and CPU grow with the rate. */
function rateRatios(rates: readonly RateResult[]): string[] {
  if (rates.length < 2) return ['Only one rate: no ratio to report.'];
  const lowest = rates[0]!;
  return rates.slice(1).map(
    (rate) =>
      `${rate.rate}/s ÷ ${lowest.rate}/s (${fixed(rate.rate / lowest.rate, 1)}× the edits): ` +
      `p50 ${fixed(rate.latencyMs.p50 / lowest.latencyMs.p50, 2)}×, ` +
      `p99 ${fixed(rate.latencyMs.p99 / lowest.latencyMs.p99, 2)}×, ` +
      `CPU ${fixed(rate.cpuPercent / lowest.cpuPercent, 2)}× (latency independent of the rate ≈ 1×)`,
  );
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return fixed(bytes / 1e6, 1);
}

function kilobytes(bytes: number): string {
  return fixed(bytes / 1e3, 1);
}

function seconds(ms: number): string {
  return fixed(ms / 1000, 2);
}

runBenchmark(main, (error) => error instanceof Interrupted || interrupt.signal.aborted);
