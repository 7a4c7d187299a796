/**
 * `pnpm bench:public-site`: what the public site's hot path costs a visitor now that the
 * CMS serves translations, A/B variants and forms. The graph runs as `pnpm start` runs it
 * in production (its own process, NODE_ENV=production, LOG_LEVEL=info, on Postgres 15 and
 * Redis started for the run), and the load comes from autocannon in another process. Every
 * request is anonymous, through the gateway, with GATEWAY_CACHE=off unless said otherwise:
 *
 * 1. `publishedPage(orgSlug, slug) { id title document locale }` of a plain page (one
 *    locale, no experiment); with BENCH_BASELINE_DIR, on both checkouts' graphs in turn
 *    (ABAB, each a new graph process on its own seeded database), with current ÷ baseline;
 *    and once on the current graph with GATEWAY_CACHE=on;
 * 2. the same slug published in `en`, `de` and `pt-BR` (default `en`, fallbacks `["de"]`),
 *    asked with `locale: "de-CH"` (served by truncation) and `locale: "fr"` (served by the
 *    fallback `de`);
 * 3. a page running an experiment (`control` 50, `b` 50), every request with a visitorId
 *    of its own;
 * 4. `submitForm` to forms of published pages, every request from a client address of its
 *    own and spread over enough forms that no rate limit is reached; the leads stored in
 *    the measured run are counted against the requests answered.
 *
 * 2. to 4. only exist in the current checkout, and are measured there only. Every response
 * is checked (status 200, no GraphQL `errors`, the answer expected: the locale served, a
 * page, a receipt); a run with any error fails the benchmark after the report. Tune with:
 *
 * - BENCH_DURATION_SECONDS: each measured run (default 15)
 * - BENCH_WARMUP_SECONDS: unmeasured load before each (default 3)
 * - BENCH_CONNECTIONS: connections of every run (default 10)
 * - BENCH_ROUNDS: how many times the whole sequence runs, every graph a new process each
 *   time; each figure combines the rounds (default 1)
 * - BENCH_BASELINE_DIR: another checkout (with its own `pnpm install`) to measure 1. on too
 * - BENCH_CACHE_ON=0: skip 1. with the gateway cache on
 * - BENCH_FORM_PAGES: pages with a form for 4. (default: enough for 600 submissions a second
 *   over every round, at most 280 of the 300 an hour each form accepts)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadEnv, positiveInt } from '@token-nexus/shared';
import { waitForBackgroundWork } from './kit/background-work.ts';
import { startBenchServers } from './kit/bench-servers.ts';
import { baselineCheckout, currentCheckout, type Checkout } from './kit/checkout.ts';
import { combineRuns, hitRateOf, measureRun, statementsPerRequest, verifyWorkload, type RunResult, type RunTiming } from './kit/measured-run.ts';
import { productionEnv, runSecrets, startProductionGraph } from './kit/production-graph.ts';
import { leadValues, preparePublicSite, type PreparedSite } from './kit/public-site-seed.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';
import { fixed, formatTable } from './kit/table.ts';
import type { VisitorWorkload } from './kit/visitor-load.ts';

interface Settings extends RunTiming {
  connections: number;
  rounds: number;
  cacheOn: boolean;
  formPages: number;
  checkouts: Checkout[];
  /** The graphs' logs; kept when the run fails. */
  runDir: string;
}

/** The runs, as the report names them. */
const runNames = {
  plainOff: '1. plain page, cache off',
  plainOn: '1. plain page, cache on',
  localeTruncated: '2. 3 translations, locale "de-CH" (→ de)',
  localeFallback: '2. 3 translations, locale "fr" (→ fallback de)',
  experiment: '3. A/B experiment, visitorId per request',
  submitForm: '4. submitForm, address per request',
} as const;

type RunName = keyof typeof runNames;

/** One checkout's runs (each combined over the rounds), and the leads its measured submitForm runs stored. */
interface CheckoutResults {
  label: string;
  runs: Partial<Record<RunName, RunResult>>;
  leadsStored: number;
}

/** One graph process of a round: its GATEWAY_CACHE, the runs it measures, and whether the baseline runs it too. */
interface GraphKind {
  name: string;
  cache: 'on' | 'off';
  runs: RunName[];
  currentOnly: boolean;
}

async function main(): Promise<void> {
  const settings: Settings = { ...readSettings(), runDir: await mkdtemp(join(tmpdir(), 'tnx-bench-site-')) };
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  progress('starting Postgres 15 (with pg_stat_statements), redis-server and an SMTP sink…');
  const servers = await startBenchServers();
  const prepared: PreparedSite[] = [];
  let keepRunDir = false;
  try {
    const secrets = runSecrets();
    for (const checkout of settings.checkouts) {
      const cms = checkout === currentCheckout ? { formPages: settings.formPages } : undefined;
      prepared.push(await preparePublicSite(checkout, servers, { secrets, runDir: settings.runDir, cms }));
      interrupt.signal.throwIfAborted();
    }
    const loadBefore = loadavg()[0]!;
    const results = await measureAll(prepared, settings, interrupt.signal);
    console.log(report(results, settings, [loadBefore, loadavg()[0]!]));
    assertSound(results);
  } catch (error) {
    keepRunDir = true;
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    for (const site of prepared) await site.close().catch(() => undefined);
    await servers.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs: ${settings.runDir}`);
    else await rm(settings.runDir, { recursive: true, force: true });
  }
}

function readSettings(): Omit<Settings, 'runDir'> {
  const vars = loadEnv(process.env, () => ({
    BENCH_DURATION_SECONDS: positiveInt(15),
    BENCH_WARMUP_SECONDS: positiveInt(3),
    BENCH_CONNECTIONS: positiveInt(10),
    BENCH_ROUNDS: positiveInt(1),
  }));
  const submissions = vars.BENCH_ROUNDS * (vars.BENCH_WARMUP_SECONDS + vars.BENCH_DURATION_SECONDS) * 600;
  const formVars = loadEnv(process.env, () => ({ BENCH_FORM_PAGES: positiveInt(Math.max(1, Math.ceil(submissions / 280))) }));
  const baselineDir = process.env.BENCH_BASELINE_DIR?.trim();
  return {
    durationSeconds: vars.BENCH_DURATION_SECONDS,
    warmupSeconds: vars.BENCH_WARMUP_SECONDS,
    connections: vars.BENCH_CONNECTIONS,
    rounds: vars.BENCH_ROUNDS,
    cacheOn: process.env.BENCH_CACHE_ON?.trim() !== '0',
    formPages: formVars.BENCH_FORM_PAGES,
    checkouts: baselineDir ? [currentCheckout, baselineCheckout(baselineDir)] : [currentCheckout],
  };
}

/**
 * Each round: the plain page on every checkout's graph (ABAB with a baseline, so that drift
 * on the machine hits both alike), then on the current graph with the cache on, then the
 * current graph's translations, experiment and forms. One graph process at a time.
 */
async function measureAll(prepared: readonly PreparedSite[], settings: Settings, signal: AbortSignal): Promise<CheckoutResults[]> {
  const results = prepared.map(({ checkout }): CheckoutResults => ({ label: checkout.label, runs: {}, leadsStored: 0 }));
  const kinds: GraphKind[] = [
    { name: 'plain page, cache off', cache: 'off', runs: ['plainOff'], currentOnly: false },
    ...(settings.cacheOn ? [{ name: 'plain page, cache on', cache: 'on' as const, runs: ['plainOn' as const], currentOnly: true }] : []),
    { name: 'translations, experiment, forms, cache off', cache: 'off', runs: ['localeTruncated', 'localeFallback', 'experiment', 'submitForm'], currentOnly: true },
  ];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const kind of kinds) {
      for (const [index, site] of prepared.entries()) {
        if (kind.currentOnly && site.checkout !== currentCheckout) continue;
        const graph = `${site.checkout.label}, ${kind.name}${settings.rounds > 1 ? `, round ${round}` : ''}`;
        await measureGraph(site, kind, graph, settings, signal, results[index]!);
      }
    }
  }
  return results;
}

/** Starts a graph of `site`'s checkout, measures `kind`'s runs on it into `into`, and stops it. */
async function measureGraph(
  site: PreparedSite,
  kind: GraphKind,
  name: string,
  settings: Settings,
  signal: AbortSignal,
  into: CheckoutResults,
): Promise<void> {
  progress(`${name}: starting the graph…`);
  const graph = await startProductionGraph(site.checkout, productionEnv({ ...site.setting, cache: kind.cache }), {
    name,
    runDir: settings.runDir,
    cpuProfile: false,
  });
  try {
    for (const run of kind.runs) {
      const plan = { url: graph.url, workload: workloadOf(site, run), connections: settings.connections };
      await verifyWorkload(plan);
      if (run === 'submitForm') {
        const leads = await leadCounter(site.setting.databaseUrl);
        const measured = await measureRun(plan, site.statements, settings, signal, () => leads.start());
        into.leadsStored += await leads.sinceStart();
        add(into, run, measured);
        // The form.submitted events of the leads: dispatched by this graph, not during the next one's runs.
        await waitForBackgroundWork(site.setting.databaseUrl);
      } else {
        add(into, run, await measureRun(plan, site.statements, settings, signal));
      }
    }
  } catch (error) {
    // What failed is the news, not a graph that then did not stop cleanly.
    await graph.stop().catch(() => undefined);
    throw error;
  }
  await graph.stop();
}

function add(into: CheckoutResults, run: RunName, result: RunResult): void {
  const earlier = into.runs[run];
  into.runs[run] = earlier ? combineRuns([earlier, result]) : result;
}

const pageQuery = `query ($orgSlug: String!, $slug: String!, $locale: String, $visitorId: String) {
  publishedPage(orgSlug: $orgSlug, slug: $slug, locale: $locale, visitorId: $visitorId) { id title document locale }
}`;

/** The plain page's query as older checkouts know it: without `locale` and `visitorId`. */
const plainPageQuery = `query ($orgSlug: String!, $slug: String!) {
  publishedPage(orgSlug: $orgSlug, slug: $slug) { id title document locale }
}`;

const submitFormMutation = `mutation ($orgSlug: String!, $pageSlug: String!, $formId: String!, $values: JSON!) {
  submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: $formId, values: $values) { id submittedAt message }
}`;

/** What `run` sends: every request an anonymous visitor of its own (see visitor-load.ts). */
function workloadOf({ site }: PreparedSite, run: RunName): VisitorWorkload {
  const name = runNames[run];
  const page = { kind: 'visitors' as const, name, query: pageQuery };
  switch (run) {
    case 'plainOff':
    case 'plainOn':
      return { ...page, query: plainPageQuery, variables: [{ ...site.plain }], answerContains: '"locale":"en"' };
    case 'localeTruncated':
      return { ...page, variables: [{ ...cmsOf(site).translated, locale: 'de-CH' }], answerContains: '"locale":"de"' };
    case 'localeFallback':
      return { ...page, variables: [{ ...cmsOf(site).translated, locale: 'fr' }], answerContains: '"locale":"de"' };
    case 'experiment':
      return { ...page, variables: [{ ...cmsOf(site).experiment }], visitorIdVariable: 'visitorId', answerContains: '"publishedPage":{' };
    case 'submitForm':
      return {
        kind: 'visitors',
        name,
        query: submitFormMutation,
        variables: cmsOf(site).forms.map((form) => ({ ...form, values: leadValues })),
        answerContains: '"submitForm":{',
      };
  }
}

function cmsOf(site: PreparedSite['site']): NonNullable<PreparedSite['site']['cms']> {
  if (!site.cms) throw new Error('translations, experiments and forms are measured on the current checkout only');
  return site.cms;
}

/** Counts the leads stored in the database from `start()` on. */
async function leadCounter(databaseUrl: string) {
  const count = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM cms.form_submissions');
      return Number(rows[0]!.n);
    } finally {
      await client.end();
    }
  };
  let startedWith = Number.NaN;
  return {
    start: async () => void (startedWith = await count()),
    sinceStart: async () => (await count()) - startedWith,
  };
}

function errorsOf(run: RunResult): number {
  return run.load.failed + run.load.errors;
}

function report(results: readonly CheckoutResults[], settings: Settings, machineLoad: [number, number]): string {
  const forms = results[0]!.runs.submitForm;
  return [
    '',
    `Each graph as \`pnpm start\` runs it (NODE_ENV=production, LOG_LEVEL=info, TRUSTED_PROXY_HOPS=1) on Postgres 15 and Redis; ` +
      `load from autocannon in a process of its own, ${settings.connections} connections; ` +
      `${settings.rounds > 1 ? `${settings.rounds} rounds of ` : ''}${settings.durationSeconds} s per run after a ` +
      `${settings.warmupSeconds} s warm-up; Node ${process.version}, ${cpus().length} CPUs, load average ` +
      `${machineLoad.map((load) => load.toFixed(1)).join(' → ')}.`,
    settings.checkouts.length > 1
      ? `Plain-page graphs in turn (ABAB): ${settings.checkouts.map(({ label, dir }) => `${label} = ${dir}`).join(', ')}.`
      : 'No BENCH_BASELINE_DIR: the current checkout alone.',
    'Every request anonymous, through the gateway, GATEWAY_CACHE=off but for the row that says cache on; each from its ' +
      'own client address (X-Forwarded-For). SQL/request: statements the graph sent its database (pg_stat_statements, ' +
      'without the job runner\'s polls) ÷ requests sent. Cache hit %: the gateway\'s /metrics (n/a: cache off, or not counted).',
    '',
    'The public site, publishedPage { id title document locale } (a document of 8 Hero sections) and submitForm:',
    resultTable(results),
    '',
    `4. submitForm: ${settings.formPages} pages with one form each, the requests in turn over them (at most 300 an hour ` +
      'per form, 10 a minute per address: each request from its own address).',
    ...(forms ? [leadLine(forms, results[0]!.leadsStored)] : []),
    ...failureLines(results),
    '',
  ].join('\n');
}

/** Every run's figures, each checkout's rows, then current ÷ baseline for the runs both measured. */
function resultTable(results: readonly CheckoutResults[]): string {
  const figures = (run: RunResult) => [
    run.load.requestsPerSecond,
    run.load.latencyMs.p50,
    run.load.latencyMs.p95,
    run.load.latencyMs.p99,
    statementsPerRequest(run),
    hitRateOf(run) * 100,
  ];
  const digits = [1, 2, 2, 2, 2, 1];
  const rows = results.flatMap(({ label, runs }) =>
    (Object.keys(runNames) as RunName[]).flatMap((name) => {
      const run = runs[name];
      if (!run) return [];
      return [[`${label}: ${runNames[name]}`, ...figures(run).map((value, i) => fixed(value, digits[i]!)), String(errorsOf(run))]];
    }),
  );
  const [current, baseline] = results;
  const ratios =
    current && baseline
      ? (Object.keys(runNames) as RunName[]).flatMap((name) => {
          const [now, before] = [current.runs[name], baseline.runs[name]];
          if (!now || !before) return [];
          const quotients = figures(now).map((value, i) => {
            const quotient = value / figures(before)[i]!;
            return Number.isFinite(quotient) ? `${fixed(quotient, 2)}×` : 'n/a';
          });
          return [[`${current.label} ÷ ${baseline.label}: ${runNames[name]}`, ...quotients, '']];
        })
      : [];
  return formatTable(
    [{ title: 'run' }, ...['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'SQL/request', 'cache hit %', 'errors'].map((title) => ({ title, align: 'right' as const }))],
    [...rows, ...ratios],
  );
}

/**
 * The leads of the measured runs beside their requests. A load stops with requests in
 * flight, which the graph still answers (and stores) but the load no longer counts: so the
 * leads stored are the requests answered without error plus at most those in flight.
 */
function leadLine(run: RunResult, stored: number): string {
  const answered = run.load.completed - run.load.failed;
  const inFlight = run.load.sent - run.load.completed;
  return (
    `   Leads stored in the measured runs: ${stored}; requests answered without error: ${answered}; in flight when the load ` +
    `stopped (answered after it, so not counted by it): ${inFlight}. ${leadsAgree(run, stored) ? 'They agree.' : 'They DO NOT agree.'}`
  );
}

function leadsAgree(run: RunResult, stored: number): boolean {
  const answered = run.load.completed - run.load.failed;
  return stored >= answered && stored <= answered + (run.load.sent - run.load.completed);
}

function failureLines(results: readonly CheckoutResults[]): string[] {
  const lines = results.flatMap(({ label, runs }) =>
    (Object.entries(runs) as [RunName, RunResult][])
      .filter(([, run]) => errorsOf(run) > 0)
      .flatMap(([name, run]) => [
        `${label}, ${runNames[name]}: ${run.load.failed} failed responses (${run.load.non2xx} not 2xx), ${run.load.errors} connection errors or timeouts`,
        ...run.failures.slice(0, 5).map(({ reason, count }) => `  ${count} × ${reason}`),
      ]),
  );
  return lines.length > 0 ? ['', 'Errors:', ...lines] : [];
}

/** Fails the run (after the report) on any error, or on leads that do not match the requests answered. */
function assertSound(results: readonly CheckoutResults[]): void {
  const errors = results.reduce((sum, { runs }) => sum + Object.values(runs).reduce((n, run) => n + errorsOf(run), 0), 0);
  if (errors > 0) throw new Error(`${errors} requests failed (see Errors above)`);
  const forms = results[0]!.runs.submitForm;
  if (forms && !leadsAgree(forms, results[0]!.leadsStored)) throw new Error('the leads stored do not match the submitForm requests answered');
}

runBenchmark(main);
