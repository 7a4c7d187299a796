import type { CheckoutResults } from './graph-runs.ts';
import type { RunResult } from './measured-run.ts';
import { errorsOf, type LabelledResults } from './mix-report.ts';
import type { SinkTotals, SpanTally } from './otlp-sink.ts';
import { fixed, formatTable, type Column } from './table.ts';

const right = (title: string): Column => ({ title, align: 'right' });

/** A figure of the dashboard query with observability on ÷ the same with it off (NaN: not both measured). */
export function observabilityRatio(results: CheckoutResults, figure: (run: RunResult) => number): number {
  const { observabilityOn: on, observabilityOff: off } = results;
  return on && off ? figure(on) / figure(off) : Number.NaN;
}

/** Requests per second of a run. */
export const throughput = (run: RunResult): number => run.load.requestsPerSecond;

/** p95 latency of a run, in milliseconds. */
export const p95 = (run: RunResult): number => run.load.latencyMs.p95;

/**
 * The dashboard query alone with observability off and on, for each checkout, then on ÷
 * off (req/s and p95). Beside the graphs with it on, what the sink received of their
 * measured runs: the traces (one per sampled request), their share of the requests sent,
 * and the spans (every service's).
 */
export function observabilityTable(checkouts: readonly LabelledResults[]): string {
  return formatTable(
    [{ title: 'graph' }, ...['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'traces', 'traced %', 'spans'].map(right)],
    // A baseline from before observability is not measured here (see measureAll).
    checkouts.filter(({ results }) => results.observabilityOff || results.observabilityOn).flatMap(({ label, results, exported }) => [
      [`${label}, observability off`, ...latencyCells(results.observabilityOff), '', '', ''],
      [`${label}, observability on`, ...latencyCells(results.observabilityOn), ...exportCells(results.observabilityOn, exported)],
      [`${label}: on ÷ off`, ratioCell(observabilityRatio(results, throughput)), '', ratioCell(observabilityRatio(results, p95)), '', ''],
    ]),
  );
}

function latencyCells(run: RunResult | undefined): string[] {
  const load = run?.load;
  const figures = [load?.requestsPerSecond, load?.latencyMs.p50, load?.latencyMs.p95, load?.latencyMs.p99];
  return [...figures.map((figure) => fixed(figure ?? Number.NaN, 1)), fixed(errorsOf(run), 0)];
}

function exportCells(run: RunResult | undefined, exported: SpanTally | undefined): string[] {
  if (!run || !exported) return ['n/a', 'n/a', 'n/a'];
  return [String(exported.traces), fixed((exported.traces / run.load.sent) * 100, 1), String(exported.spans)];
}

/** Three decimals: the target is 0.95×, and 0.949× must not show as 0.95×. */
function ratioCell(ratio: number): string {
  return Number.isFinite(ratio) ? `${fixed(ratio, 3)}×` : 'n/a';
}

/** One line on all the sink received, warm-ups and background work included. */
export function sinkSummary(totals: SinkTotals): string {
  return (
    `The OTLP sink received ${totals.exports} exports (${fixed(totals.bytes / 1024, 0)} KiB of JSON) holding ` +
    `${totals.spans} spans in all, warm-ups and background work included.`
  );
}
