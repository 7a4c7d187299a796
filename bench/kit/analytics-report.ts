import type { WriterResult } from './analytics-audit-trail.ts';
import type { CatchUp, RollupCounts } from './analytics-ingest-progress.ts';
import type { ProbeSample } from './analytics-memory-probe.ts';
import { ownShare, shortQuery, type PerRequestStatements, type StatementCost } from './analytics-statements.ts';
import type { FailureCount } from './failure-tally.ts';
import { percentile, type LoadResult } from './load.ts';
import { fixed, formatTable, type Column } from './table.ts';

/** The issue's targets, on a 2-core machine. */
export const targets = {
  ingestEntriesPerSecond: 20_000,
  lagP95Ms: 5_000,
  seriesP95Ms: 20,
  dashboardP95Ms: 100,
  /** Peak heap and RSS in the second half of the ingestion ÷ the first half: flat is ≈ 1. */
  memoryGrowth: 1.1,
};

const right = (title: string): Column => ({ title, align: 'right' });

// ---------------------------------------------------------------------------------------
// Results

/** One backlog, ingested by a freshly started graph. */
export interface IngestionResult {
  label: string;
  catchUp: CatchUp;
  chains: number;
  /** When the graph process was started (Date.now()). */
  graphStartedAt: number;
  /** The rollups before the graph started and once the cursors reached the heads. */
  before: RollupCounts;
  after: RollupCounts;
  /** Entries in the organizations' chains once caught up (every one must be counted once). */
  trailEntries: number;
  /** Ingest rounds (transactions that took the ingest lock), from pg_stat_statements. */
  rounds: number;
  /** CPU over the ingestion, % of one core: the graph (from its probe), this process, the machine (all of it). */
  cpu: { graph: number; bench: number; machine: number };
  /** The statements the database ran meanwhile, costliest first. */
  statements: StatementCost[];
}

export function ingestMs(result: IngestionResult): number {
  return result.catchUp.doneAt - result.catchUp.firstRoundAt;
}

export function overallRate(result: IngestionResult): number {
  return (result.catchUp.backlog * 1000) / ingestMs(result);
}

/** Entries/s over the middle of the backlog, between 10% and 90% counted. */
export function sustainedRate(result: IngestionResult): number {
  const { samples, backlog } = result.catchUp;
  const first = samples.find((sample) => sample.ingested >= 0.1 * backlog);
  const last = samples.find((sample) => sample.ingested >= 0.9 * backlog);
  if (!first || !last || last.at <= first.at) return overallRate(result);
  return ((last.ingested - first.ingested) * 1000) / (last.at - first.at);
}

/** Metric events the rollups gained per audit entry ingested. */
export function eventsPerEntry(result: IngestionResult): number {
  return (result.after.events - result.before.events) / result.catchUp.backlog;
}

/** Whether every entry of the trail is counted exactly once in audit.entries, hourly and daily. */
export function countProblems(result: IngestionResult): string[] {
  const { trailEntries, after } = result;
  const problems: string[] = [];
  if (after.hourlyEntries !== trailEntries) {
    problems.push(`${result.label}: hourly audit.entries rollups count ${count(after.hourlyEntries)} entries, the trail has ${count(trailEntries)}`);
  }
  if (after.dailyEntries !== trailEntries) {
    problems.push(`${result.label}: daily audit.entries rollups count ${count(after.dailyEntries)} entries, the trail has ${count(trailEntries)}`);
  }
  return problems;
}

export interface LagResult {
  rate: number;
  seconds: number;
  writer: WriterResult;
  /** Ascending. */
  lagsMs: number[];
  /** Committed entries no cursor passed before the wait ended. */
  notCounted: number;
  cpu: { graph: number; bench: number; machine: number };
  /** The statements the database ran while the writer wrote (its own included), costliest first. */
  statements: StatementCost[];
  /** Ingest rounds while the writer wrote. */
  rounds: number;
}

/** A load run against one endpoint. */
export interface LoadRun {
  name: string;
  connections: number;
  load: LoadResult;
  failures: FailureCount[];
  /** Statements per request sent, the background's left out (see analytics-statements.ts). */
  sqlPerRequest: number;
  /** Those statements, costliest first. */
  statements: StatementCost[];
  /** CPU over the measured run, % of one core: the graph (from its probe) and the machine (all of it). */
  cpu: { graph: number; machine: number };
}

export interface DashboardStatements {
  widgets: number;
  statements: PerRequestStatements;
  /** Latency of the same requests, sent one at a time, ms ascending. */
  sequentialMs: number[];
}

export interface MemoryRun {
  ingestion: IngestionResult;
  samples: ProbeSample[];
}

// ---------------------------------------------------------------------------------------
// Tables

export function ingestionTable(results: readonly IngestionResult[]): string {
  return formatTable(
    [
      { title: 'backlog' },
      right('entries'),
      right('chains'),
      right('graph start → caught up s'),
      right('first round → caught up s'),
      right('entries/s'),
      right('entries/s 10–90%'),
      right('metric events'),
      right('events/entry'),
      right('events/s'),
      right('rounds'),
      right('ms/round'),
    ],
    results.map((result) => {
      const events = result.after.events - result.before.events;
      return [
        result.label,
        count(result.catchUp.backlog),
        String(result.chains),
        seconds(result.catchUp.doneAt - result.graphStartedAt),
        seconds(ingestMs(result)),
        count(Math.round(overallRate(result))),
        count(Math.round(sustainedRate(result))),
        count(events),
        fixed(eventsPerEntry(result), 2),
        count(Math.round((events * 1000) / ingestMs(result))),
        count(result.rounds),
        fixed(ingestMs(result) / result.rounds, 0),
      ];
    }),
  );
}

export function ingestionCpuTable(results: readonly IngestionResult[]): string {
  return formatTable(
    [{ title: 'backlog' }, right('graph CPU %'), right('bench CPU %'), right('machine CPU %'), right('Postgres & rest of machine %'), right('rollup rows after')],
    results.map((result) => [
      result.label,
      fixed(result.cpu.graph, 0),
      fixed(result.cpu.bench, 0),
      fixed(result.cpu.machine, 0),
      fixed(result.cpu.machine - result.cpu.graph - result.cpu.bench, 0),
      count(result.after.rows),
    ]),
  );
}

/** The statements that took the database's time during an ingestion, costliest first. */
export function statementTable(statements: readonly StatementCost[], top = 10): string {
  const totalMs = statements.reduce((sum, statement) => sum + statement.totalMs, 0);
  return formatTable(
    [right('calls'), right('total ms'), right('mean ms'), right('rows/call'), right('% of DB time'), { title: 'statement' }],
    statements
      .slice(0, top)
      .map((statement) => [
        count(statement.calls),
        fixed(statement.totalMs, 0),
        fixed(statement.totalMs / statement.calls, 2),
        fixed(statement.rows / statement.calls, 0),
        fixed((100 * statement.totalMs) / totalMs, 1),
        shortQuery(statement.query),
      ]),
  );
}

export function lagTable(result: LagResult): string {
  const { writer, lagsMs } = result;
  return formatTable(
    [
      right('entries/s asked'),
      right('committed'),
      right('committed/s'),
      right('start lag max ms'),
      right('write p50 ms'),
      right('write p99 ms'),
      right('lag p50 ms'),
      right('lag p95 ms'),
      right('lag p99 ms'),
      right('lag max ms'),
      right('not counted'),
      right('failed'),
    ],
    [
      [
        count(result.rate),
        count(writer.committed),
        count(Math.round((writer.committed * 1000) / writer.elapsedMs)),
        fixed(writer.maxStartLagMs, 0),
        fixed(writer.transactionMs.p50, 1),
        fixed(writer.transactionMs.p99, 1),
        fixed(percentile(lagsMs, 50), 0),
        fixed(percentile(lagsMs, 95), 0),
        fixed(percentile(lagsMs, 99), 0),
        fixed(lagsMs.at(-1) ?? Number.NaN, 0),
        count(result.notCounted),
        count([...writer.failures.values()].reduce((sum, value) => sum + value, 0)),
      ],
    ],
  );
}

/** Lag by second of the run is too long for a report: the share of entries over a few thresholds instead. */
export function lagDistribution(lagsMs: readonly number[]): string {
  const over = (ms: number) => lagsMs.filter((lag) => lag > ms).length / Math.max(1, lagsMs.length);
  return [250, 500, 1_000, 2_000, 5_000].map((ms) => `> ${ms} ms: ${fixed(100 * over(ms), 2)}%`).join(', ');
}

export function loadTable(runs: readonly LoadRun[]): string {
  return formatTable(
    [
      { title: 'run' },
      right('connections'),
      right('req/s'),
      right('p50 ms'),
      right('p95 ms'),
      right('p99 ms'),
      right('errors'),
      right('SQL/request'),
      right('graph CPU %'),
      right('machine CPU %'),
    ],
    runs.map((run) => [
      run.name,
      String(run.connections),
      fixed(run.load.requestsPerSecond, 1),
      fixed(run.load.latencyMs.p50, 1),
      fixed(run.load.latencyMs.p95, 1),
      fixed(run.load.latencyMs.p99, 1),
      count(errorsOf(run)),
      fixed(run.sqlPerRequest, 2),
      fixed(run.cpu.graph, 0),
      fixed(run.cpu.machine, 0),
    ]),
  );
}

export function errorsOf(run: LoadRun): number {
  return run.load.failed + run.load.errors;
}

/** How often the ingester ran a round while the writer wrote, and what one cost the database. */
export function lagRounds(result: LagResult): string {
  const rollups = result.statements.find((statement) => statement.query.includes('INSERT INTO analytics.rollups'));
  const entries = result.statements.find((statement) => statement.query.includes('e.sequence > w.after_sequence'));
  return (
    `Ingest rounds meanwhile: ${count(result.rounds)} (${fixed(result.rounds / result.seconds, 2)}/s, one every ` +
    `${fixed((result.seconds * 1000) / result.rounds, 0)} ms); per round the entries' read ` +
    `${entries ? `${fixed(entries.totalMs / entries.calls, 1)} ms for ${fixed(entries.rows / entries.calls, 0)} rows` : 'n/a'}, ` +
    `the rollups' upsert ${rollups ? `${fixed(rollups.totalMs / rollups.calls, 1)} ms for ${fixed(rollups.rows / rollups.calls, 0)} rows` : 'n/a'}.`
  );
}

export function dashboardStatementTable(results: readonly DashboardStatements[]): string {
  return formatTable(
    [
      right('widgets'),
      right('queries'),
      right('SQL statements/query'),
      right('rollup reads/query'),
      right('other own SQL/query'),
      right('occasional/query'),
      right('one at a time p50 ms'),
      right('p95 ms'),
    ],
    results.map((result) => [
      String(result.widgets),
      String(result.statements.requests),
      fixed(result.statements.total, 2),
      fixed(result.statements.rollupReads, 2),
      fixed(result.statements.total - result.statements.rollupReads, 2),
      fixed(result.statements.occasional, 2),
      fixed(percentile(result.sequentialMs, 50), 1),
      fixed(percentile(result.sequentialMs, 95), 1),
    ]),
  );
}

/**
 * The queries' own statements whose count per query differs from `reference`'s (the
 * loaded dashboard) in the other sizes: what makes the count grow with the widgets, if
 * anything does.
 */
export function statementDifferences(results: readonly DashboardStatements[], reference: DashboardStatements): string[] {
  const perQuery = (result: DashboardStatements) =>
    new Map(
      result.statements.statements
        .filter((statement) => statement.perRequest >= ownShare)
        .map((statement) => [statement.query, statement.perRequest]),
    );
  const base = perQuery(reference);
  const lines: string[] = [];
  for (const result of results) {
    if (result === reference) continue;
    const other = perQuery(result);
    for (const query of new Set([...base.keys(), ...other.keys()])) {
      const difference = (other.get(query) ?? 0) - (base.get(query) ?? 0);
      if (Math.abs(difference) >= 0.05) {
        lines.push(`  ${result.widgets} widgets: ${difference > 0 ? '+' : ''}${fixed(difference, 2)} × ${shortQuery(query, 90)}`);
      }
    }
  }
  return lines;
}

export function perQueryStatementTable(result: DashboardStatements): string {
  return formatTable(
    [right('per query'), { title: 'statement' }],
    result.statements.statements.map((statement) => [fixed(statement.perRequest, 2), shortQuery(statement.query)]),
  );
}

// ---------------------------------------------------------------------------------------
// Memory

/** The graph's memory over one ingestion, from its probe's samples. */
export interface MemorySummary {
  before: ProbeSample | undefined;
  start: ProbeSample;
  end: ProbeSample;
  maxRss: number;
  maxHeap: number;
  /** Heap in use right after each of V8's own full collections during the ingestion. */
  liveHeaps: number[];
  /** Peak heap and RSS in the second half of the ingestion ÷ the first half. */
  heapGrowth: number;
  rssGrowth: number;
  samples: number;
}

export function memorySummary(run: MemoryRun): MemorySummary {
  const { firstRoundAt, doneAt } = run.ingestion.catchUp;
  const ticks = run.samples.filter((sample) => sample.kind !== 'major-gc');
  const during = ticks.filter((sample) => sample.at >= firstRoundAt && sample.at <= doneAt);
  if (during.length === 0) throw new Error('the probe took no sample during the ingestion');
  const middle = (firstRoundAt + doneAt) / 2;
  const peak = (samples: ProbeSample[], of: (sample: ProbeSample) => number) => Math.max(...samples.map(of));
  const firstHalf = during.filter((sample) => sample.at < middle);
  const secondHalf = during.filter((sample) => sample.at >= middle);
  const growth = (of: (sample: ProbeSample) => number) =>
    firstHalf.length > 0 && secondHalf.length > 0 ? peak(secondHalf, of) / peak(firstHalf, of) : Number.NaN;
  return {
    before: ticks.filter((sample) => sample.at < firstRoundAt).at(-1),
    start: during[0]!,
    end: during.at(-1)!,
    maxRss: peak(during, (sample) => sample.rss),
    maxHeap: peak(during, (sample) => sample.heapUsed),
    liveHeaps: run.samples
      .filter((sample) => sample.kind === 'major-gc' && sample.at >= firstRoundAt && sample.at <= doneAt)
      .map((sample) => sample.heapUsed),
    heapGrowth: growth((sample) => sample.heapUsed),
    rssGrowth: growth((sample) => sample.rss),
    samples: during.length,
  };
}

export function memoryTable(summary: MemorySummary): string {
  const row = (label: string, sample: ProbeSample | undefined) => [
    label,
    sample ? megabytes(sample.rss) : 'n/a',
    sample ? megabytes(sample.heapUsed) : 'n/a',
    sample ? megabytes(sample.heapTotal) : 'n/a',
    sample ? megabytes(sample.external + sample.arrayBuffers) : 'n/a',
  ];
  const live = summary.liveHeaps;
  return formatTable(
    [{ title: '' }, right('RSS MB'), right('heap used MB'), right('heap total MB'), right('external+buffers MB')],
    [
      row('before the first round', summary.before),
      row('start (first sample of the ingestion)', summary.start),
      ['max during the ingestion', megabytes(summary.maxRss), megabytes(summary.maxHeap), '', ''],
      row('end (cursors at the heads)', summary.end),
      [
        `live heap after V8's full GCs (${live.length}): first / max / last`,
        '',
        live.length > 0 ? `${megabytes(live[0]!)} / ${megabytes(Math.max(...live))} / ${megabytes(live.at(-1)!)}` : 'n/a (none ran)',
        '',
        '',
      ],
    ],
  );
}

/** The graph's memory at every tenth of the backlog counted: the shape of the curve. */
export function memoryCurveTable(run: MemoryRun): string {
  const ticks = run.samples.filter((sample) => sample.kind !== 'major-gc');
  const gcs = run.samples.filter((sample) => sample.kind === 'major-gc');
  const { samples, backlog } = run.ingestion.catchUp;
  const rows: string[][] = [];
  for (let tenth = 0; tenth <= 10; tenth++) {
    const reading = tenth === 0 ? { at: run.ingestion.catchUp.firstRoundAt } : samples.find((sample) => sample.ingested >= (tenth / 10) * backlog);
    if (!reading) continue;
    const tick = nearest(ticks, reading.at);
    const lastGc = gcs.filter((sample) => sample.at <= reading.at && sample.at >= run.ingestion.catchUp.firstRoundAt).at(-1);
    rows.push([
      `${tenth * 10}%`,
      seconds(reading.at - run.ingestion.catchUp.firstRoundAt),
      tick ? megabytes(tick.rss) : 'n/a',
      tick ? megabytes(tick.heapUsed) : 'n/a',
      lastGc ? megabytes(lastGc.heapUsed) : 'n/a',
    ]);
  }
  return formatTable([right('counted'), right('s'), right('RSS MB'), right('heap used MB'), right('live heap MB (last full GC)')], rows);
}

function nearest(samples: readonly ProbeSample[], at: number): ProbeSample | undefined {
  let best: ProbeSample | undefined;
  for (const sample of samples) if (!best || Math.abs(sample.at - at) < Math.abs(best.at - at)) best = sample;
  return best;
}

/** The graph's CPU time over [from, to] from its probe's samples, % of one core. */
export function graphCpuPercent(samples: readonly ProbeSample[], from: number, to: number): number {
  const before = samples.filter((sample) => sample.at <= from).at(-1) ?? samples[0];
  const after = samples.find((sample) => sample.at >= to) ?? samples.at(-1);
  if (!before || !after || after.at <= before.at) return Number.NaN;
  return ((after.cpuMicros - before.cpuMicros) / 1000 / (after.at - before.at)) * 100;
}

// ---------------------------------------------------------------------------------------
// Targets

export interface TargetRow {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export function targetTable(rows: readonly TargetRow[]): string {
  return formatTable(
    [{ title: 'target' }, { title: 'issue' }, right('measured'), { title: 'met' }],
    rows.map((row) => [row.what, row.target, row.measured, row.met === null ? 'n/a' : row.met ? 'yes' : 'NO']),
  );
}

// ---------------------------------------------------------------------------------------
// Formatting

export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

export function megabytes(bytes: number): string {
  return fixed(bytes / 1e6, 1);
}

export function seconds(ms: number): string {
  return fixed(ms / 1000, 2);
}
