import type { CheckoutResults } from './graph-runs.ts';
import { hitRate } from './cache-metrics.ts';
import { hitRateOf, statementsPerRequest, statementsPerSecond, type RunResult } from './measured-run.ts';
import type { SpanTally } from './otlp-sink.ts';
import { fixed, formatTable, type Column } from './table.ts';

/** The results of one checkout, named as the report names it. */
export interface LabelledResults {
  label: string;
  results: CheckoutResults;
  /** What its graphs with observability on exported of their measured runs' requests (see observability-runs.ts). */
  exported?: SpanTally;
}

/** The targets for this 2-core machine. */
export const targets = {
  mixP95Ms: 100,
  hitRate: 0.8,
  /** SQL statements per request with the cache at most this share of those without. */
  statementShare: 0.6,
  /** 3× what the first `pnpm bench` measured. */
  dashboardRequestsPerSecond: 3 * 38.6,
  /** Through the gateway ÷ direct, p50 of `{ me { id } }`. */
  meOverhead: 2,
  /** The dashboard query's req/s with metrics and 10% tracing on, at least this share of its req/s with both off. */
  observabilityThroughput: 0.95,
};

const right = (title: string): Column => ({ title, align: 'right' });

/** Failed responses and connection errors (timeouts included) of a run. */
export function errorsOf(run: RunResult | undefined): number {
  return run ? run.load.failed + run.load.errors : Number.NaN;
}

/** Errors of every run of a checkout. */
export function totalErrors(results: CheckoutResults): number {
  return Object.values(results).reduce((sum: number, run: RunResult) => sum + errorsOf(run), 0);
}

/** The mix's table: each checkout with the cache on and off, then current ÷ baseline. */
export function mixTable(checkouts: readonly LabelledResults[]): string {
  const figures = (run: RunResult | undefined) => [
    run?.load.requestsPerSecond,
    run?.load.latencyMs.p50,
    run?.load.latencyMs.p95,
    run?.load.latencyMs.p99,
    errorsOf(run),
    run && hitRateOf(run) * 100,
    run && statementsPerSecond(run),
    run && statementsPerRequest(run),
  ];
  return formatTable(
    [{ title: 'graph' }, ...['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'hit %', 'SQL/s', 'SQL/request'].map(right)],
    rowsWithRatios(
      checkouts,
      (results) => [
        { suffix: ', cache on', values: figures(results.mixOn) },
        { suffix: ', cache off', values: figures(results.mixOff) },
      ],
      { digits: [1, 1, 1, 1, 0, 1, 0, 2], counts: [4] },
    ),
  );
}

/**
 * The mix's cache lookups with the cache on, by what was fetched (subgraph and type),
 * most looked up first: which answers the mix's changes keep making stale.
 */
export function cacheKindsTable(run: RunResult | undefined): string | null {
  const byKind = run?.cache?.byKind;
  if (!byKind) return null;
  const rows = Object.entries(byKind)
    .map(([kind, counts]) => ({ kind, lookups: counts.hit + counts.miss, rate: hitRate(counts) }))
    .filter((row) => row.lookups > 0)
    .sort((a, b) => b.lookups - a.lookups)
    .map((row) => [row.kind, String(row.lookups), fixed(row.rate * 100, 1)]);
  return formatTable([{ title: 'fetch (subgraph, type)' }, right('lookups'), right('hit %')], rows);
}

/** The dashboard query alone, cache off. */
export function dashboardTable(checkouts: readonly LabelledResults[]): string {
  return formatTable(
    [{ title: 'graph' }, ...['req/s', 'p50 ms', 'p95 ms', 'errors', 'SQL/request'].map(right)],
    rowsWithRatios(
      checkouts,
      ({ dashboard: run }) => [
        {
          suffix: '',
          values: [run?.load.requestsPerSecond, run?.load.latencyMs.p50, run?.load.latencyMs.p95, errorsOf(run), run && statementsPerRequest(run)],
        },
      ],
      { digits: [1, 1, 1, 0, 2], counts: [3] },
    ),
  );
}

/** `{ me { id } }` through the gateway and straight to identity, cache off. */
export function meTable(checkouts: readonly LabelledResults[]): string {
  return formatTable(
    [{ title: 'graph' }, ...['gateway p50 ms', 'direct p50 ms', 'gateway ÷ direct', 'gateway req/s', 'direct req/s', 'errors'].map(right)],
    rowsWithRatios(
      checkouts,
      (results) => [
        {
          suffix: '',
          values: [
            results.meGateway?.load.latencyMs.p50,
            results.meDirect?.load.latencyMs.p50,
            meOverhead(results),
            results.meGateway?.load.requestsPerSecond,
            results.meDirect?.load.requestsPerSecond,
            errorsOf(results.meGateway) + errorsOf(results.meDirect),
          ],
        },
      ],
      { digits: [2, 2, 2, 1, 1, 0], counts: [5] },
    ),
  );
}

/** Gateway p50 ÷ direct p50 of `{ me { id } }`. */
export function meOverhead(results: CheckoutResults): number {
  return (results.meGateway?.load.latencyMs.p50 ?? Number.NaN) / (results.meDirect?.load.latencyMs.p50 ?? Number.NaN);
}

/** SQL statements per request of the mix, cache on ÷ cache off: SQL/s at the same request rate. */
export function statementShare(results: CheckoutResults): number {
  const { mixOn, mixOff } = results;
  return mixOn && mixOff ? statementsPerRequest(mixOn) / statementsPerRequest(mixOff) : Number.NaN;
}

/** A row of a checkout's figures, named `<checkout label><suffix>`; a figure not measured is undefined. */
interface Row {
  suffix: string;
  values: (number | undefined)[];
}

/**
 * Each checkout's rows as text, then with a baseline, `current ÷ baseline` rows: each
 * figure of the current checkout over the baseline's, but for the `counts` columns
 * (errors), where a ratio means nothing.
 */
function rowsWithRatios(
  checkouts: readonly LabelledResults[],
  rowsOf: (results: CheckoutResults) => Row[],
  format: { digits: readonly number[]; counts: readonly number[] },
): string[][] {
  const groups = checkouts.map(({ label, results }) => ({ label, rows: rowsOf(results) }));
  const lines = groups.flatMap(({ label, rows }) =>
    rows.map((row) => [`${label}${row.suffix}`, ...row.values.map((value, index) => fixed(value ?? Number.NaN, format.digits[index]!))]),
  );
  const [current, baseline] = groups;
  if (!current || !baseline) return lines;
  const ratio = (value: number | undefined, of: number | undefined) => {
    const quotient = (value ?? Number.NaN) / (of ?? Number.NaN);
    return Number.isFinite(quotient) ? `${fixed(quotient, 2)}×` : 'n/a';
  };
  const ratios = current.rows.map((row, index) => [
    `${current.label} ÷ ${baseline.label}${row.suffix}`,
    ...row.values.map((value, column) => (format.counts.includes(column) ? '' : ratio(value, baseline.rows[index]!.values[column]))),
  ]);
  return [...lines, ...ratios];
}

const runNames: Record<keyof CheckoutResults, string> = {
  mixOn: 'dashboard mix, cache on',
  mixOff: 'dashboard mix, cache off',
  dashboard: 'dashboard query',
  meGateway: '{ me { id } } via gateway',
  meDirect: '{ me { id } } to identity',
  observabilityOff: 'dashboard query, observability off',
  observabilityOn: 'dashboard query, observability on',
};

/** What went wrong in each run that had errors, the most frequent reasons first; empty when none had. */
export function failureReport(checkouts: readonly LabelledResults[], reasons = 5): string {
  const lines: string[] = [];
  for (const { label, results } of checkouts) {
    for (const [key, run] of Object.entries(results) as [keyof CheckoutResults, RunResult][]) {
      if (errorsOf(run) === 0) continue;
      const { failed, non2xx, errors } = run.load;
      lines.push(`${label}, ${runNames[key]}: ${failed} failed responses (${non2xx} not 2xx), ${errors} connection errors or timeouts`);
      for (const { reason, count } of run.failures.slice(0, reasons)) lines.push(`  ${count} × ${reason}`);
    }
  }
  return lines.join('\n');
}
