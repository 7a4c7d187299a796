import type { CheckoutResults } from './graph-runs.ts';
import { hitRateOf } from './measured-run.ts';
import { meOverhead, statementShare, targets, totalErrors, type LabelledResults } from './mix-report.ts';
import { tracesSampled } from './observability-runs.ts';
import { observabilityRatio, throughput } from './observability-report.ts';
import { fixed, formatTable } from './table.ts';

/** One of the targets: what it says, the figure it is about, and whether a figure meets it. */
interface Target {
  says: string;
  /** The runs it is about: a run that took none of them (BENCH_ONLY) shows no row of it. Unset: every run. */
  about?: (keyof CheckoutResults)[];
  figure(results: CheckoutResults): number;
  shown(figure: number): string;
  met(figure: number): boolean;
}

const checks: Target[] = [
  {
    says: `mix, cache on: p95 under ${targets.mixP95Ms} ms`,
    about: ['mixOn'],
    figure: (results) => results.mixOn?.load.latencyMs.p95 ?? Number.NaN,
    shown: (figure) => `${fixed(figure, 1)} ms`,
    met: (figure) => figure < targets.mixP95Ms,
  },
  {
    says: `mix, cache on: hit rate at least ${targets.hitRate * 100}%`,
    about: ['mixOn'],
    figure: (results) => (results.mixOn ? hitRateOf(results.mixOn) : Number.NaN),
    shown: (figure) => (Number.isFinite(figure) ? `${fixed(figure * 100, 1)}%` : 'n/a'),
    met: (figure) => figure >= targets.hitRate,
  },
  {
    says: `mix: SQL/s at the same req/s at least ${Math.round((1 - targets.statementShare) * 100)}% lower with the cache (SQL/request on ÷ off)`,
    about: ['mixOn', 'mixOff'],
    figure: statementShare,
    shown: (figure) => `${fixed(figure, 2)}×`,
    met: (figure) => figure <= targets.statementShare,
  },
  {
    says: `dashboard query, cache off: at least ${fixed(targets.dashboardRequestsPerSecond, 1)} req/s (3 × 38.6)`,
    about: ['dashboard'],
    figure: (results) => results.dashboard?.load.requestsPerSecond ?? Number.NaN,
    shown: (figure) => `${fixed(figure, 1)} req/s`,
    met: (figure) => figure >= targets.dashboardRequestsPerSecond,
  },
  {
    says: `{ me { id } }: gateway p50 at most ${targets.meOverhead}× direct`,
    about: ['meGateway', 'meDirect'],
    figure: meOverhead,
    shown: (figure) => `${fixed(figure, 2)}×`,
    met: (figure) => figure <= targets.meOverhead,
  },
  {
    says: `observability (metrics + ${tracesSampled * 100}% tracing): throughput at least ${targets.observabilityThroughput * 100}% of off`,
    about: ['observabilityOff', 'observabilityOn'],
    figure: (results) => observabilityRatio(results, throughput),
    // A share, to one decimal: 0.949 rounds to 0.95× and would read as met.
    shown: (figure) => (Number.isFinite(figure) ? `${fixed(figure * 100, 1)}%` : 'n/a'),
    met: (figure) => figure >= targets.observabilityThroughput,
  },
  {
    says: 'every run: no errors',
    figure: totalErrors,
    shown: (figure) => String(figure),
    met: (figure) => figure === 0,
  },
];

/**
 * The targets of the runs taken beside each checkout's figure, and whether it meets them
 * (n/a: not measured).
 */
export function targetTable(checkouts: readonly LabelledResults[]): string {
  const verdict = (check: Target, figure: number) => (Number.isNaN(figure) ? 'n/a' : check.met(figure) ? 'yes' : 'NO');
  const taken = (check: Target) => !check.about || check.about.some((run) => checkouts.some(({ results }) => results[run]));
  return formatTable(
    [{ title: 'target' }, ...checkouts.flatMap(({ label }) => [{ title: label, align: 'right' as const }, { title: 'met' }])],
    checks.filter(taken).map((check) => [
      check.says,
      ...checkouts.flatMap(({ results }) => {
        const figure = check.figure(results);
        return [check.shown(figure), verdict(check, figure)];
      }),
    ]),
  );
}
