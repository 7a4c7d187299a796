/**
 * `pnpm bench:analytics`: what the analytics subgraph promises, on this machine. The
 * graph runs as `pnpm start` runs it in production (its own process, NODE_ENV=production,
 * LOG_LEVEL=info, GATEWAY_CACHE=off: widgetData and metricSeries carry no @cacheControl,
 * so the cache would not serve them) on Postgres 15 (fsync on, pg_stat_statements) and
 * Redis started for the run; load comes from autocannon in a process of its own. A probe
 * preloaded into the graph (kit/analytics-memory-probe.ts) reads its memory and CPU time.
 *
 * The run seeds, through the API, one user owning BENCH_ORGANIZATIONS organizations and
 * their dashboards of 3, 12 and 30 metric widgets; the graph that seeded stops once its
 * ingester has counted those entries. Then, straight in SQL (kit/analytics-audit-trail.ts),
 * it appends a backlog to the organizations' audit chains, spread over the 91 days before
 * the run in a realistic mix of actions (edits, assistant messages, members, tokens,
 * denied requests…: 1.83 metric events per entry), heads moved in the same transactions,
 * and measures with three graphs, each a new process:
 *
 * The ingest graph:
 * 1. Ingestion: it starts on the BENCH_BACKLOG_ENTRIES backlog; its cursors
 *    (analytics.ingest_cursors) are read every 50 ms until they reach the heads. Entries/s
 *    from the first round (the first cursor move) to caught up, and over the middle
 *    10–90% of the backlog (sustained); metric events/s from what the rollups gained; the
 *    rounds, the CPU of the graph, of this process and of the machine, and the statements
 *    that took the database's time. The rollups must then count every entry of the trail
 *    exactly once (hourly and daily), or the run fails.
 * 2. Lag: a writer adds BENCH_LAG_RATE entries a second for BENCH_LAG_SECONDS, one
 *    transaction per entry as record-audit.ts writes them (the chain's head locked, the
 *    entry at the next sequence, the head moved, in one statement), the organizations in
 *    turn, on schedule; for every committed entry, the time from its commit to the first
 *    reading (every 50 ms) of its chain's cursor at or past its sequence, and the rounds
 *    the ingester ran meanwhile. The default 60 s includes one of the ingest job's
 *    hand-overs to its successor (every minute).
 * The reads graph:
 * 3. `metricSeries` of 90 daily points (audit.entries, the 90 UTC days before today, each
 *    with rollups), straight to the analytics subgraph, signed as the gateway signs, at
 *    BENCH_SERIES_CONNECTIONS connections.
 * 4. The dashboard of 12 metric widgets (`dashboardLayout { widgets widgetData { … } }`)
 *    through the gateway at BENCH_DASHBOARD_CONNECTIONS connections; and the SQL
 *    statements one dashboard query costs with 3, 12 and 30 widgets (BENCH_STATEMENT_QUERIES
 *    queries one at a time each, from pg_stat_statements: the ingester's and job runner's
 *    own statements left out, any other the idle graph runs counted only beyond its idle
 *    rate, and those run at least once per two queries are the query's own), in all and
 *    those reading analytics.rollups. For each load run, the statements that took the
 *    database's time, and the CPU of the graph and of the machine.
 * The memory graph:
 * 5. Memory: after BENCH_MEMORY_ENTRIES more entries are appended, it ingests them (an
 *    ingestion measured as in 1); its RSS and heap, sampled every 250 ms and after each of
 *    V8's full collections, before, at the start, at most and at the end, at every tenth
 *    of the backlog, and the peaks of the second half over the first's (flat ≈ 1).
 *
 * Every answer is checked: a GraphQL `errors` entry or another status than 200 is an
 * error, and so are a widget's error, a day of the series without rollups, an entry not
 * counted, a writer's failed transaction, or rollups that do not count the trail exactly;
 * errors are printed, and a run with any fails (after the report). Tune with:
 *
 * - BENCH_ORGANIZATIONS: organizations (chains) the entries spread over (default 50, 3–100)
 * - BENCH_BACKLOG_ENTRIES: the backlog of (1) (default 200000)
 * - BENCH_MEMORY_ENTRIES: the backlog of (5) (default 1000000; seeding it takes a minute)
 * - BENCH_SEED_CHUNK: entries per INSERT while seeding (default 100000)
 * - BENCH_LAG_RATE: entries a second in (2) (default 1000)
 * - BENCH_LAG_SECONDS: how long (2) writes (default 60)
 * - BENCH_WRITER_CONNECTIONS: the writer's connections, at most (default 16)
 * - BENCH_DURATION_SECONDS: each load run of (3) and (4) (default 15)
 * - BENCH_WARMUP_SECONDS: unmeasured load before each (default 3)
 * - BENCH_SERIES_CONNECTIONS: connections of (3) (default 4)
 * - BENCH_DASHBOARD_CONNECTIONS: connections of (4) (default 10)
 * - BENCH_STATEMENT_QUERIES: dashboard queries per size counted in (4) (default 20)
 * - ANALYTICS_INGEST_BATCH_SIZE, ANALYTICS_INGEST_INTERVAL_MS: passed on to the graphs
 *   (default: the graph's own, 5000 and 500)
 * - BENCH_CPU_PROF=1: run the measured graphs under Node's CPU profiler and print each
 *   one's top 15 functions by self time, and where the profiles are
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnv, positiveInt } from '@token-nexus/shared';
import { actionMix, appendAuditBacklog, LiveAuditWriter, metricEventsPerEntry } from './kit/analytics-audit-trail.ts';
import { busyShare, machineCpu, startAnalyticsGraph, type AnalyticsGraph, type IngestOverrides } from './kit/analytics-graph.ts';
import { IngestWatcher, LagTracker, watchCatchUp, type RollupCounts } from './kit/analytics-ingest-progress.ts';
import {
  count,
  countProblems,
  dashboardStatementTable,
  errorsOf,
  eventsPerEntry,
  graphCpuPercent,
  ingestionCpuTable,
  ingestionTable,
  lagDistribution,
  lagRounds,
  lagTable,
  loadTable,
  memoryCurveTable,
  memorySummary,
  memoryTable,
  perQueryStatementTable,
  statementDifferences,
  seconds,
  statementTable,
  sustainedRate,
  targets,
  targetTable,
  type DashboardStatements,
  type IngestionResult,
  type LagResult,
  type LoadRun,
  type MemoryRun,
  type TargetRow,
} from './kit/analytics-report.ts';
import {
  dashboardProblems,
  dashboardQuery,
  seedAnalyticsWorld,
  seriesProblems,
  seriesQuery,
  waitForJobsButIngest,
  type AnalyticsWorld,
} from './kit/analytics-seed.ts';
import { isBackground, statementsPerRequest, StatementLedger, type StatementCost } from './kit/analytics-statements.ts';
import { vacuumAfterSeeding } from './kit/background-work.ts';
import { startBenchServers } from './kit/bench-servers.ts';
import { currentCheckout, migrateDatabase } from './kit/checkout.ts';
import { GraphQLClient, graphQLBody } from './kit/client.ts';
import { sleep } from './kit/concurrency.ts';
import { userHeaders } from './kit/dashboard-mix.ts';
import { createScratchDatabase } from './kit/database.ts';
import { percentile } from './kit/load.ts';
import { runLoadProcess, type LoadPlan } from './kit/load-process.ts';
import { profileReport } from './kit/profile-report.ts';
import { runSecrets, type ProductionSetting } from './kit/production-graph.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';
import { subgraphRequestHeaders } from './kit/signing.ts';

const seriesDays = 90;
const dashboardSizes = [3, 12, 30] as const;
const loadedDashboard = 12;
/** The cursors are read this often, for the ingestion's progress and each entry's lag. */
const pollMs = 50;
/** An ingestion whose cursors do not move for this long has stopped: the run fails. */
const stallMs = 60_000;
/** After the writer stops, how long its last entries get to be counted. */
const drainMs = 60_000;
/** The idle graph's statements are watched this long before counting a dashboard's. */
const idleStatementsMs = 5_000;

interface Settings {
  organizations: number;
  backlogEntries: number;
  memoryEntries: number;
  seedChunk: number;
  lagRate: number;
  lagSeconds: number;
  writerConnections: number;
  durationSeconds: number;
  warmupSeconds: number;
  seriesConnections: number;
  dashboardConnections: number;
  statementQueries: number;
  cpuProfile: boolean;
  ingest: IngestOverrides;
}

/** What the run shares between its parts. */
interface Run {
  settings: Settings;
  databaseUrl: string;
  setting: ProductionSetting;
  runDir: string;
  watcher: IngestWatcher;
  ledger: StatementLedger;
  world: AnalyticsWorld;
  signal: AbortSignal;
  /** Everything that went wrong, for the report; any fails the run. */
  problems: string[];
}

interface Measurements {
  ingestion: IngestionResult;
  lag: LagResult;
  series: LoadRun;
  dashboard: LoadRun;
  statements: DashboardStatements[];
  memory: MemoryRun;
  profiles: { graph: string; files: string[] }[];
  machineLoad: [number, number];
}

async function main(): Promise<void> {
  const settings = readSettings();
  const runDir = await mkdtemp(join(tmpdir(), 'tnx-bench-analytics-'));
  const interrupt = new AbortController();
  // `on`, not `once`: under pnpm the same Ctrl-C can come twice (see audit-export.ts).
  process.on('SIGINT', () => {
    if (!interrupt.signal.aborted) progress(`interrupted; the graphs' logs: ${runDir}`);
    interrupt.abort(new Interrupted());
  });
  let keepRunDir = settings.cpuProfile;
  progress('starting Postgres 15 (with pg_stat_statements), redis-server and an SMTP sink…');
  const servers = await startBenchServers();
  const closers: (() => Promise<void>)[] = [];
  try {
    const database = await createScratchDatabase(servers.postgresAdminUrl);
    closers.push(() => database.drop());
    await migrateDatabase(currentCheckout, database.url);
    const watcher = await IngestWatcher.open(database.url);
    closers.push(() => watcher.close());
    const ledger = await StatementLedger.open(database.url);
    closers.push(() => ledger.close());
    const setting: ProductionSetting = {
      databaseUrl: database.url,
      redisUrl: servers.redisUrl,
      smtpUrl: servers.smtpUrl,
      keyPrefix: 'tnx-bench-analytics:',
      secrets: runSecrets(),
      cache: 'off',
    };
    const seeded = await seed(settings, setting, runDir, watcher, interrupt.signal);
    const run: Run = { settings, databaseUrl: database.url, setting, runDir, watcher, ledger, world: seeded, signal: interrupt.signal, problems: [] };
    const measured = await measureAll(run);
    console.log(report(run, measured));
    for (const { graph, files } of measured.profiles) console.log(`${await profileReport(graph, files)}\n`);
    if (run.problems.length > 0) {
      throw new Error(`${run.problems.length} problems during the run (see "Errors" above)`);
    }
  } catch (error) {
    keepRunDir = true;
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await servers.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs${settings.cpuProfile ? ' and CPU profiles' : ''}: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_ORGANIZATIONS: positiveInt(50),
    BENCH_BACKLOG_ENTRIES: positiveInt(200_000),
    BENCH_MEMORY_ENTRIES: positiveInt(1_000_000),
    BENCH_SEED_CHUNK: positiveInt(100_000),
    BENCH_LAG_RATE: positiveInt(1_000),
    BENCH_LAG_SECONDS: positiveInt(60),
    BENCH_WRITER_CONNECTIONS: positiveInt(16),
    BENCH_DURATION_SECONDS: positiveInt(15),
    BENCH_WARMUP_SECONDS: positiveInt(3),
    BENCH_SERIES_CONNECTIONS: positiveInt(4),
    BENCH_DASHBOARD_CONNECTIONS: positiveInt(10),
    BENCH_STATEMENT_QUERIES: positiveInt(20),
  }));
  // createOrganization allows a user 100 an hour; the dashboards take the first three.
  if (vars.BENCH_ORGANIZATIONS < dashboardSizes.length || vars.BENCH_ORGANIZATIONS > 100) {
    throw new ConfigError([{ variable: 'BENCH_ORGANIZATIONS', message: `must be from ${dashboardSizes.length} to 100` }]);
  }
  const ingest = loadEnv(process.env, () => ({
    ANALYTICS_INGEST_BATCH_SIZE: positiveInt(0).optional(),
    ANALYTICS_INGEST_INTERVAL_MS: positiveInt(0).optional(),
  }));
  return {
    organizations: vars.BENCH_ORGANIZATIONS,
    backlogEntries: vars.BENCH_BACKLOG_ENTRIES,
    memoryEntries: vars.BENCH_MEMORY_ENTRIES,
    seedChunk: vars.BENCH_SEED_CHUNK,
    lagRate: vars.BENCH_LAG_RATE,
    lagSeconds: vars.BENCH_LAG_SECONDS,
    writerConnections: vars.BENCH_WRITER_CONNECTIONS,
    durationSeconds: vars.BENCH_DURATION_SECONDS,
    warmupSeconds: vars.BENCH_WARMUP_SECONDS,
    seriesConnections: vars.BENCH_SERIES_CONNECTIONS,
    dashboardConnections: vars.BENCH_DASHBOARD_CONNECTIONS,
    statementQueries: vars.BENCH_STATEMENT_QUERIES,
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
    ingest: {
      ...(ingest.ANALYTICS_INGEST_BATCH_SIZE ? { batchSize: ingest.ANALYTICS_INGEST_BATCH_SIZE } : {}),
      ...(ingest.ANALYTICS_INGEST_INTERVAL_MS ? { intervalMs: ingest.ANALYTICS_INGEST_INTERVAL_MS } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Seeding

/**
 * The user, organizations and dashboards through the API of a graph started for that
 * alone (so that no measured graph includes the seeding); that graph stops once its jobs
 * are done and its ingester has counted the entries the API wrote.
 */
async function seed(
  settings: Settings,
  setting: ProductionSetting,
  runDir: string,
  watcher: IngestWatcher,
  signal: AbortSignal,
): Promise<AnalyticsWorld> {
  const graph = await startAnalyticsGraph(currentCheckout, setting, { name: 'seeding', runDir, cpuProfile: false, ingest: settings.ingest });
  try {
    progress(`seeding ${settings.organizations} organizations and dashboards of ${dashboardSizes.join(', ')} widgets through the API…`);
    const world = await seedAnalyticsWorld(new GraphQLClient(graph.graph.url), settings.organizations, dashboardSizes);
    await waitForJobsButIngest(setting.databaseUrl);
    const deadline = Date.now() + stallMs;
    while ((await watcher.position()).remaining > 0) {
      if (Date.now() > deadline) throw new Error("the seeding graph's ingester did not count the API's entries");
      signal.throwIfAborted();
      await sleep(100);
    }
    return world;
  } finally {
    await graph.graph.stop();
  }
}

/** Appends `entries` to the organizations' chains, over the 91 days before now, then brings the database to rest. */
async function appendBacklog(run: Run, entries: number): Promise<void> {
  const now = new Date();
  const from = new Date(utcMidnight(now).getTime() - (seriesDays + 1) * 86_400_000);
  progress(`appending ${count(entries)} audit entries over ${run.world.organizationIds.length} chains in SQL…`);
  await appendAuditBacklog(run.databaseUrl, run.world.organizationIds, entries, {
    from,
    to: now,
    chunkSize: run.settings.seedChunk,
    signal: run.signal,
    onProgress: (written, elapsedMs) => progress(`  ${count(written)} / ${count(entries)} in ${seconds(elapsedMs)} s`),
  });
  // VACUUM ANALYZE and CHECKPOINT: no autovacuum of the new rows, nor their dirty pages'
  // write-out, during the measurement.
  await vacuumAfterSeeding(run.databaseUrl);
}

function utcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

// ---------------------------------------------------------------------------------------
// Measurements

async function measureAll(run: Run): Promise<Measurements> {
  const loadBefore = loadavg()[0]!;
  const profiles: Measurements['profiles'] = [];

  await appendBacklog(run, run.settings.backlogEntries);
  const { ingestion, lag } = await withGraph(run, 'ingest graph', 'the ingest graph (1, 2)', profiles, async (started) => ({
    ingestion: await measureIngestion(run, started, `${count(run.settings.backlogEntries)} entries`),
    lag: await measureLag(run, started.graph),
  }));
  const { series, statements, dashboard } = await withGraph(run, 'reads graph', 'the reads graph (3, 4)', profiles, async ({ graph }) => ({
    series: await measureSeries(run, graph),
    statements: await measureDashboardStatements(run, graph),
    dashboard: await measureDashboard(run, graph),
  }));
  await appendBacklog(run, run.settings.memoryEntries);
  const memory = await withGraph(run, 'memory graph', 'the memory graph (5)', profiles, async (started) => {
    const result = await measureIngestion(run, started, `${count(run.settings.memoryEntries)} entries`);
    return { ingestion: result, samples: await started.graph.samples() };
  });
  return { ingestion, lag, series, dashboard, statements, memory, profiles, machineLoad: [loadBefore, loadavg()[0]!] };
}

/** Starts a graph, measures with it, stops it; its CPU profile, if any, is added to `profiles` as `description`. */
async function withGraph<T>(
  run: Run,
  name: string,
  description: string,
  profiles: Measurements['profiles'],
  measure: (started: StartedGraph) => Promise<T>,
): Promise<T> {
  const started = await startGraph(run, name);
  let result: T;
  try {
    result = await measure(started);
  } catch (error) {
    await started.graph.graph.stop().catch(() => undefined);
    throw error;
  }
  const files = await started.graph.graph.stop();
  if (files.length > 0) profiles.push({ graph: description, files });
  return result;
}

interface StartedGraph {
  graph: AnalyticsGraph;
  /** Entries in the trail not counted yet when it started. */
  backlog: number;
  /** The rollups when it started. */
  before: RollupCounts;
}

/** Starts a graph on the database as it stands: its backlog, the rollups and the statements counted from its start. */
async function startGraph(run: Run, name: string): Promise<StartedGraph> {
  const { remaining } = await run.watcher.position();
  const before = await run.watcher.rollupCounts();
  await run.ledger.reset();
  progress(`${name}: starting, ${count(remaining)} entries to count…`);
  const graph = await startAnalyticsGraph(currentCheckout, run.setting, {
    name,
    runDir: run.runDir,
    cpuProfile: run.settings.cpuProfile,
    ingest: run.settings.ingest,
  });
  return { graph, backlog: remaining, before };
}

/**
 * From the graph's start until its cursors reach the heads; `before`: the rollups as they
 * stood before the graph started (it ingests from its first moments, before it listens).
 */
async function measureIngestion(run: Run, started: StartedGraph, label: string): Promise<IngestionResult> {
  const { graph, backlog, before } = started;
  let machineBefore = await machineCpu();
  let benchBefore = process.cpuUsage();
  const catchUp = await watchCatchUp(run.watcher, {
    since: graph.startedAt,
    backlog,
    pollMs,
    stallMs,
    signal: run.signal,
    onProgress: (ingested, total, perSecond) =>
      progress(`  ${count(ingested)} / ${count(total)} counted (${count(Math.round(perSecond))}/s)`),
    onFirstMove: async () => {
      machineBefore = await machineCpu();
      benchBefore = process.cpuUsage();
    },
  });
  const machineAfter = await machineCpu();
  const bench = process.cpuUsage(benchBefore);
  const statements = await run.ledger.statements();
  const after = await run.watcher.rollupCounts();
  const position = await run.watcher.position();
  const samples = await graph.samples();
  const windowMs = catchUp.doneAt - catchUp.firstRoundAt;
  const result: IngestionResult = {
    label,
    catchUp,
    chains: position.chains,
    graphStartedAt: graph.startedAt,
    before,
    after,
    trailEntries: position.entries,
    rounds: roundsOf(statements),
    cpu: {
      graph: graphCpuPercent(samples, catchUp.firstRoundAt, catchUp.doneAt),
      bench: ((bench.user + bench.system) / 1000 / windowMs) * 100,
      machine: busyShare(machineBefore, machineAfter) * cpus().length * 100,
    },
    statements,
  };
  run.problems.push(...countProblems(result));
  progress(
    `${label}: counted in ${seconds(windowMs)} s from the first round ` +
      `(${count(Math.round(sustainedRate(result)))} entries/s sustained, ${eventsPerEntry(result).toFixed(2)} metric events each)`,
  );
  return result;
}

async function measureLag(run: Run, graph: AnalyticsGraph): Promise<LagResult> {
  const { lagRate, lagSeconds, writerConnections } = run.settings;
  progress(`lag: writing ${count(lagRate)} entries/s for ${lagSeconds} s…`);
  const tracker = new LagTracker(run.watcher, pollMs);
  const writer = new LiveAuditWriter(run.databaseUrl, run.world.organizationIds, writerConnections);
  try {
    tracker.start();
    await run.ledger.reset();
    const machineBefore = await machineCpu();
    const benchBefore = process.cpuUsage();
    const startedAt = Date.now();
    const written = await writer.run(lagRate, lagSeconds * 1000, (chainKey, sequence, at) => tracker.committed(chainKey, sequence, at), run.signal);
    const endedAt = Date.now();
    const bench = process.cpuUsage(benchBefore);
    const machineAfter = await machineCpu();
    const statements = await run.ledger.statements();
    await tracker.stop();
    const drained = await tracker.drain(drainMs);
    const lagsMs = [...tracker.lagsMs].sort((a, b) => a - b);
    const samples = await graph.samples();
    const failed = [...written.failures.values()].reduce((sum, value) => sum + value, 0);
    if (failed > 0) {
      run.problems.push(`lag: ${failed} of the writer's transactions failed: ${[...written.failures.keys()][0]}`);
    }
    if (!drained) run.problems.push(`lag: ${count(tracker.pending)} committed entries not counted ${drainMs / 1000} s after the writer stopped`);
    progress(`lag: p95 ${percentile(lagsMs, 95).toFixed(0)} ms over ${count(lagsMs.length)} entries`);
    return {
      rate: lagRate,
      seconds: lagSeconds,
      writer: written,
      lagsMs,
      notCounted: tracker.pending,
      cpu: {
        graph: graphCpuPercent(samples, startedAt, endedAt),
        bench: ((bench.user + bench.system) / 1000 / (endedAt - startedAt)) * 100,
        machine: busyShare(machineBefore, machineAfter) * cpus().length * 100,
      },
      statements,
      rounds: roundsOf(statements),
    };
  } finally {
    await tracker.stop();
    await writer.close();
  }
}

/** Ingest rounds: the transactions that tried the ingest lock. */
function roundsOf(statements: readonly StatementCost[]): number {
  return statements.find((statement) => statement.query.includes('pg_try_advisory_xact_lock'))?.calls ?? Number.NaN;
}

/** A request the run sends itself (to check an answer, or to count its statements). */
async function send(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> {
  const startedAt = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - startedAt };
}

async function measureSeries(run: Run, graph: AnalyticsGraph): Promise<LoadRun> {
  const orgId = run.world.dashboards.get(loadedDashboard)!;
  const query = seriesQuery(orgId, 'audit.entries', utcMidnight(new Date()), seriesDays);
  const signingSecret = run.setting.secrets.GATEWAY_SIGNING_SECRET!;
  const body = graphQLBody(query);
  const answer = await send(graph.analyticsUrl, body, subgraphRequestHeaders(signingSecret, { type: 'user', userId: run.world.owner.id }, body));
  const problems = answer.status === 200 ? seriesProblems(answer.body, seriesDays) : [`status ${answer.status}`];
  run.problems.push(...problems.map((problem) => `metricSeries, checked before the load: ${problem}`));
  return measureLoad(run, graph, {
    url: graph.analyticsUrl,
    workload: { kind: 'signed', name: `metricSeries ${seriesDays} days, to analytics`, query, userId: run.world.owner.id, signingSecret },
    connections: run.settings.seriesConnections,
  });
}

async function measureDashboard(run: Run, graph: AnalyticsGraph): Promise<LoadRun> {
  const query = dashboardQuery(run.world.dashboards.get(loadedDashboard)!);
  return measureLoad(run, graph, {
    url: graph.graph.url,
    workload: { kind: 'query', name: `dashboard of ${loadedDashboard} widgets, via gateway`, query, user: run.world.user },
    connections: run.settings.dashboardConnections,
  });
}

/** A warm-up, then the measured run, each from a load process of its own; the statements of the run counted around it. */
async function measureLoad(run: Run, graph: AnalyticsGraph, plan: Omit<LoadPlan, 'durationSeconds'>): Promise<LoadRun> {
  const name = plan.workload.kind === 'mix' ? 'mix' : plan.workload.name;
  progress(`${name}, ${plan.connections} connections: warming up for ${run.settings.warmupSeconds} s…`);
  await runLoadProcess({ ...plan, durationSeconds: run.settings.warmupSeconds }, run.signal);
  run.signal.throwIfAborted();
  await sleep(200);
  await run.ledger.reset();
  progress(`${name}: measuring for ${run.settings.durationSeconds} s…`);
  const machineBefore = await machineCpu();
  const startedAt = Date.now();
  const { load, failures } = await runLoadProcess({ ...plan, durationSeconds: run.settings.durationSeconds }, run.signal);
  const endedAt = Date.now();
  const machineAfter = await machineCpu();
  run.signal.throwIfAborted();
  // The requests still in flight when the load stopped run to the end.
  await sleep(500);
  const statements = (await run.ledger.statements()).filter((statement) => !isBackground(statement.query));
  const result: LoadRun = {
    name,
    connections: plan.connections,
    load,
    failures,
    sqlPerRequest: statements.reduce((sum, statement) => sum + statement.calls, 0) / load.sent,
    statements,
    cpu: {
      graph: graphCpuPercent(await graph.samples(), startedAt, endedAt),
      machine: busyShare(machineBefore, machineAfter) * cpus().length * 100,
    },
  };
  if (errorsOf(result) > 0) {
    const reasons = failures.slice(0, 3).map((failure) => `${failure.count}× ${failure.reason}`);
    run.problems.push(`${name}: ${errorsOf(result)} errors${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`);
  }
  return result;
}

async function measureDashboardStatements(run: Run, graph: AnalyticsGraph): Promise<DashboardStatements[]> {
  const results: DashboardStatements[] = [];
  const headers = userHeaders(run.world.user);
  for (const widgets of dashboardSizes) {
    const body = graphQLBody(dashboardQuery(run.world.dashboards.get(widgets)!));
    const check = await send(graph.graph.url, body, headers);
    const problems = check.status === 200 ? dashboardProblems(check.body, widgets) : [`status ${check.status}`];
    run.problems.push(...problems.map((problem) => `dashboard of ${widgets} widgets: ${problem}`));
    progress(`dashboard of ${widgets} widgets: counting the statements of ${run.settings.statementQueries} queries…`);
    const sequentialMs: number[] = [];
    const statements = await statementsPerRequest(
      run.ledger,
      async () => {
        const answer = await send(graph.graph.url, body, headers);
        if (answer.status !== 200 || answer.body.includes('"errors"')) {
          run.problems.push(`dashboard of ${widgets} widgets: ${answer.body.slice(0, 200)}`);
        }
        sequentialMs.push(answer.ms);
      },
      run.settings.statementQueries,
      idleStatementsMs,
    );
    results.push({ widgets, statements, sequentialMs: sequentialMs.sort((a, b) => a - b) });
  }
  return results;
}

// ---------------------------------------------------------------------------------------
// Report

function report(run: Run, measured: Measurements): string {
  const { settings } = run;
  const { ingestion, lag, series, dashboard, statements, memory } = measured;
  const memorySummaryOf = memorySummary(memory);
  const loadedStatements = statements.find((result) => result.widgets === loadedDashboard)!;
  const batch = settings.ingest.batchSize ?? 5_000;
  const interval = settings.ingest.intervalMs ?? 500;
  const mix = actionMix.map((kind) => `${kind.action} ${kind.weight}%`).join(', ');
  return [
    '',
    'The graph as `pnpm start` runs it (NODE_ENV=production, LOG_LEVEL=info, GATEWAY_CACHE=off) on Postgres 15 (fsync on) and ' +
      `Redis; load from autocannon in a process of its own; Node ${process.version}, ${cpus().length} CPUs, load average ` +
      `${measured.machineLoad.map((load) => load.toFixed(1)).join(' → ')}.`,
    `Ingester: ANALYTICS_INGEST_BATCH_SIZE ${count(batch)}, ANALYTICS_INGEST_INTERVAL_MS ${interval}` +
      `${settings.ingest.batchSize || settings.ingest.intervalMs ? ' (set for this run)' : ' (the defaults)'}.`,
    `Seeded: ${settings.organizations} organizations (one audit chain each); entries appended in SQL, spread over the ` +
      `${seriesDays + 1} days before the run, ${fixed2(metricEventsPerEntry())} metric events per entry expected from the mix:`,
    `  ${mix}.`,
    '',
    `1. Ingestion of a backlog (the graph started with the entries already in the trail; cursors read every ${pollMs} ms).`,
    ingestionTable([ingestion, memory.ingestion]),
    '',
    'CPU during each ingestion, first round to caught up (% of one core; the machine has ' + `${cpus().length * 100}%):`,
    ingestionCpuTable([ingestion, memory.ingestion]),
    '',
    `Statements by database time during the ${ingestion.label} ingestion (pg_stat_statements, from the graph's start):`,
    statementTable(ingestion.statements, 8),
    '',
    `The same during the ${memory.ingestion.label} ingestion:`,
    statementTable(memory.ingestion.statements, 3),
    '',
    `2. Lag from commit to rollup: ${count(lag.rate)} entries/s for ${lag.seconds} s, one transaction each, the ` +
      `${settings.organizations} chains in turn, ${settings.writerConnections} writer connections at most; lag = first ` +
      `cursor reading (every ${pollMs} ms) at or past the entry's sequence − its commit.`,
    lagTable(lag),
    `Share of entries over: ${lagDistribution(lag.lagsMs)}.`,
    `CPU meanwhile (% of one core): graph ${fixed0(lag.cpu.graph)}, writer and bench ${fixed0(lag.cpu.bench)}, ` +
      `machine ${fixed0(lag.cpu.machine)} of ${cpus().length * 100}. write ms: from the entry's turn to its commit (waits for a connection included).`,
    lagRounds(lag),
    '',
    `3. metricSeries of ${seriesDays} daily points (audit.entries, interval DAY, UTC) straight to the analytics subgraph, ` +
      `signed as the gateway signs; ${settings.durationSeconds} s after a ${settings.warmupSeconds} s warm-up.`,
    `4. The dashboard of ${loadedDashboard} metric widgets through the gateway (dashboardLayout { widgets widgetData ` +
      '{ widgetId summary { value } series { points { t v } } error } }), cache off; same timing.',
    loadTable([series, dashboard]),
    'SQL/request: statements the database ran per request sent, without the background\'s (ingester, job runner); ' +
      'CPU: % of one core over the measured run (the graph is one process: gateway and subgraphs share its main thread).',
    '',
    `Statements by database time during the ${series.name} run:`,
    statementTable(series.statements, 5),
    '',
    `Statements by database time during the ${dashboard.name} run:`,
    statementTable(dashboard.statements, 8),
    '',
    `SQL statements per dashboard query by widgets (${settings.statementQueries} queries one at a time each; the ingester's ` +
      'and job runner\'s statements left out, others beyond their idle rate; own: run at least once per two queries; ' +
      'occasional: the rest, other subgraphs\' polls and jobs, batched counters):',
    dashboardStatementTable(statements),
    '',
    `The statements of one ${loadedDashboard}-widget dashboard query:`,
    perQueryStatementTable(loadedStatements),
    ...differencesOf(statements, loadedStatements),
    '',
    `5. Memory of the graph process while it ingests ${memory.ingestion.label} (its probe: every 250 ms, and after ` +
      "each of V8's own full GCs; MB = 10^6 bytes).",
    memoryTable(memorySummaryOf),
    '',
    'By share of the backlog counted:',
    memoryCurveTable(memory),
    `Peaks in the second half of the ingestion ÷ the first half: heap ${fixed2(memorySummaryOf.heapGrowth)}×, ` +
      `RSS ${fixed2(memorySummaryOf.rssGrowth)}× (flat ≈ 1×; ${memorySummaryOf.samples} samples).`,
    '',
    'Targets (2 CPUs):',
    targetTable(targetRows(measured, memorySummaryOf.heapGrowth, memorySummaryOf.rssGrowth)),
    ...(run.problems.length > 0 ? ['', 'Errors:', ...run.problems.map((problem) => `  - ${problem}`)] : []),
    '',
  ].join('\n');
}

function differencesOf(statements: readonly DashboardStatements[], reference: DashboardStatements): string[] {
  const lines = statementDifferences(statements, reference);
  return lines.length > 0 ? [`Other sizes, per query, against the ${reference.widgets}-widget dashboard:`, ...lines] : [];
}

function targetRows(measured: Measurements, heapGrowth: number, rssGrowth: number): TargetRow[] {
  const { ingestion, lag, series, dashboard, statements } = measured;
  const sustained = sustainedRate(ingestion);
  const lagP95 = percentile(lag.lagsMs, 95);
  const perQuery = statements.map((result) => result.statements.total);
  const rollupReads = statements.map((result) => result.statements.rollupReads);
  const constant = Math.max(...perQuery) - Math.min(...perQuery) < 0.5 && rollupReads.every((reads) => Math.abs(reads - 1) < 0.1);
  const growth = Math.max(heapGrowth, rssGrowth);
  return [
    {
      what: `1. ingestion, ${ingestion.label} backlog (10–90%)`,
      target: `≥ ${count(targets.ingestEntriesPerSecond)} entries/s`,
      measured: `${count(Math.round(sustained))} entries/s (${count(Math.round(sustained * eventsPerEntry(ingestion)))} metric events/s)`,
      met: sustained >= targets.ingestEntriesPerSecond,
    },
    {
      what: `2. lag commit → rollup at ${count(lag.rate)} entries/s, p95`,
      target: `< ${targets.lagP95Ms / 1000} s`,
      measured: `${count(Math.round(lagP95))} ms`,
      met: lagP95 < targets.lagP95Ms,
    },
    {
      what: `3. metricSeries ${seriesDays} daily points, p95`,
      target: `< ${targets.seriesP95Ms} ms`,
      measured: `${series.load.latencyMs.p95.toFixed(1)} ms`,
      met: series.load.latencyMs.p95 < targets.seriesP95Ms,
    },
    {
      what: `4. dashboard of ${loadedDashboard} widgets at ${dashboard.connections} connections, p95`,
      target: `< ${targets.dashboardP95Ms} ms`,
      measured: `${dashboard.load.latencyMs.p95.toFixed(1)} ms`,
      met: dashboard.load.latencyMs.p95 < targets.dashboardP95Ms,
    },
    {
      what: `4. SQL per dashboard query, ${statements.map((result) => result.widgets).join(' / ')} widgets`,
      target: 'constant (one rollup read)',
      measured: `${perQuery.map(fixed2).join(' / ')} (rollup reads ${rollupReads.map(fixed2).join(' / ')})`,
      met: constant,
    },
    {
      what: `5. memory while ingesting ${measured.memory.ingestion.label}`,
      target: `flat (2nd half ÷ 1st ≤ ${targets.memoryGrowth}×)`,
      measured: `heap ${fixed2(heapGrowth)}×, RSS ${fixed2(rssGrowth)}×`,
      met: Number.isFinite(growth) ? growth <= targets.memoryGrowth : null,
    },
  ];
}

function fixed0(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : 'n/a';
}

function fixed2(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

runBenchmark(main);
