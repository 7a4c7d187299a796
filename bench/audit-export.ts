/**
 * Shows that an audit export's memory stays flat as the export grows. For each size, it
 * creates an organization through the API, appends that many audit entries to its chain
 * in SQL, asks for an NDJSON and a CSV export through the API, waits for each to succeed,
 * then downloads it from the gateway with a client that only counts bytes and lines, while
 * sampling this process's memory every 50 ms. The graph runs in this process, so the
 * increase over a baseline taken (after a forced garbage collection) just before each
 * download is what the download costs the gateway and the audit subgraph together.
 *
 * `pnpm bench:audit-export` (it needs `--expose-gc`, which that script passes); tune with:
 *
 * - BENCH_EXPORT_SIZES: comma-separated entry counts (default 10000,100000,1000000)
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 */
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, loadEnv, url } from '@token-nexus/shared';
import { generateAuditEntries } from './kit/audit-entries.ts';
import { GraphQLClient } from './kit/client.ts';
import { createScratchDatabase } from './kit/database.ts';
import { countDownload, type DownloadCount } from './kit/download.ts';
import { settle, startBenchGraph, type BenchGraph } from './kit/graph.ts';
import {
  canCollectGarbage,
  collectGarbage,
  sampleMemory,
  type MemoryPeaks,
  type MemoryReading,
} from './kit/memory.ts';
import { createOrganization, signUp, type SeededUser } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

const defaultSizes = [10_000, 100_000, 1_000_000];
const formats = ['NDJSON', 'CSV'] as const;
type ExportFormat = (typeof formats)[number];

/** Entries per INSERT: a million rows take a while, so report progress every chunk. */
const insertChunkRows = 100_000;
const memorySampleIntervalMs = 50;
/** The export job counts rows once; even a million take seconds, so this only catches a stuck job. */
const exportReadyTimeoutMs = 5 * 60_000;
const exportPollIntervalMs = 100;

interface Settings {
  adminUrl: string;
  /** Ascending, without repeats. */
  sizes: number[];
}

/** A finished export, as `auditExport` reports it. */
interface ReadyExport {
  id: string;
  rowCount: number;
  downloadUrl: string;
  /** From asking for the export to seeing it SUCCEEDED (the job worker polls every 500 ms). */
  readyMs: number;
}

/** One measured download. */
interface ExportRun {
  size: number;
  format: ExportFormat;
  rowCount: number;
  readyMs: number;
  download: DownloadCount;
  baseline: MemoryReading;
  peaks: MemoryPeaks;
  /** Heap still in use after the download and a forced collection, over the baseline. */
  heapRetained: number;
}

/**
 * Aborted by Ctrl-C. Module-wide so that the last resort below can tell an interrupted
 * step, which may fail with an error of its own (a closed connection, an aborted request).
 */
const interrupt = new AbortController();

async function main(): Promise<void> {
  const settings = readSettings();
  if (!canCollectGarbage()) {
    throw new Error(
      'run with --expose-gc (`pnpm bench:audit-export`, or `tsx --expose-gc bench/audit-export.ts`): ' +
        'without a forced collection before each download, the baseline would include garbage',
    );
  }
  // Ctrl-C stops the run at the next step (a running INSERT or download at once) and still
  // closes the graph and drops the database. `on`, not `once`: under pnpm the process can
  // get the same Ctrl-C twice (from the terminal and relayed by tsx), and an unhandled
  // second one would exit before cleaning up.
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  const { signal } = interrupt;

  const database = await createScratchDatabase(settings.adminUrl);
  let graph: BenchGraph | undefined;
  try {
    progress(`database ${new URL(database.url).pathname.slice(1)} created; starting the graph…`);
    graph = await startBenchGraph(database.url);
    const owner = await signUp(new GraphQLClient(graph.gateway.url), 'exporter', 'Erin Exporter');
    const runs: ExportRun[] = [];
    for (const size of settings.sizes) {
      const organizationId = await organizationWithEntries(database.url, owner, size, signal);
      for (const format of formats) {
        signal.throwIfAborted();
        runs.push(await measureExport(graph, owner, organizationId, size, format, signal));
      }
    }
    console.log(report(runs));
  } finally {
    if (graph) {
      // Let a download or job cut short (by a failure or Ctrl-C) finish its statements first.
      await settle(graph);
      await graph.close();
    }
    await database.drop();
    progress('graph closed, database dropped');
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_POSTGRES_URL: url(['postgres:', 'postgresql:'], 'must be a postgres:// URL').default(
      'postgresql://postgres@127.0.0.1:5432/postgres',
    ),
  }));
  return { adminUrl: vars.BENCH_POSTGRES_URL, sizes: parseSizes(process.env.BENCH_EXPORT_SIZES) };
}

/** `10000,100000` (underscores allowed: `1_000_000`) as ascending, distinct sizes. */
function parseSizes(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return defaultSizes;
  const sizes = raw.split(',').map((part) => Number(part.trim().replaceAll('_', '')));
  // Sequences are Postgres integers; rowCount is a GraphQL Int: both end at 2^31 - 1.
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1 || size > 2 ** 31 - 2)) {
    throw new ConfigError([
      { variable: 'BENCH_EXPORT_SIZES', message: 'must be comma-separated positive whole numbers' },
    ]);
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** An organization created through the API, then given `size` generated entries. */
async function organizationWithEntries(
  databaseUrl: string,
  owner: SeededUser,
  size: number,
  signal: AbortSignal,
): Promise<string> {
  const organization = await createOrganization(owner, `Export ${size}`, `export-${size}`);
  progress(`${count(size)} entries: inserting in chunks of ${count(insertChunkRows)}…`);
  await generateAuditEntries(databaseUrl, organization.id, size, {
    chunkSize: insertChunkRows,
    signal,
    onProgress: ({ written, elapsedMs }) =>
      progress(
        `  ${count(written)} / ${count(size)} (${fixed((100 * written) / size, 0)}%) ` +
          `in ${seconds(elapsedMs)} s`,
      ),
  });
  return organization.id;
}

/** Asks for one export, waits for it, and downloads it while sampling the memory. */
async function measureExport(
  graph: BenchGraph,
  owner: SeededUser,
  organizationId: string,
  size: number,
  format: ExportFormat,
  signal: AbortSignal,
): Promise<ExportRun> {
  const ready = await requestExport(owner, organizationId, format, signal);
  assertHoldsGenerated(ready, size, format);
  progress(
    `${count(size)} ${format}: ${count(ready.rowCount)} rows ready ` +
      `in ${seconds(ready.readyMs)} s; downloading…`,
  );
  const downloadUrl = new URL(ready.downloadUrl, graph.gateway.url).toString();
  const baseline = collectGarbage();
  const sampler = sampleMemory(memorySampleIntervalMs);
  let download: DownloadCount;
  let peaks: MemoryPeaks;
  try {
    download = await countDownload(downloadUrl, signal);
  } finally {
    peaks = sampler.stop();
  }
  const heapRetained = collectGarbage().heapUsed - baseline.heapUsed;
  const { rowCount, readyMs } = ready;
  const run = { size, format, rowCount, readyMs, download, baseline, peaks, heapRetained };
  assertComplete(run);
  progress(
    `${count(size)} ${format}: ${megabytes(download.bytes)} MB in ${seconds(download.durationMs)} s, ` +
      `peak heap +${megabytes(peaks.heapUsed - baseline.heapUsed)} MB`,
  );
  return run;
}

/** `exportAuditLogs`, then `auditExport(id)` until it has SUCCEEDED (and fails if it FAILED). */
async function requestExport(
  owner: SeededUser,
  orgId: string,
  format: ExportFormat,
  signal: AbortSignal,
): Promise<ReadyExport> {
  const startedAt = performance.now();
  const { exportAuditLogs } = await owner.client.data<{ exportAuditLogs: { id: string } }>(
    `mutation ($orgId: ID!, $format: AuditExportFormat!) {
      exportAuditLogs(orgId: $orgId, format: $format) { id }
    }`,
    { orgId, format },
  );
  const { id } = exportAuditLogs;
  while (performance.now() - startedAt < exportReadyTimeoutMs) {
    const { auditExport } = await owner.client.data<{ auditExport: AuditExportState | null }>(
      `query ($id: ID!) { auditExport(id: $id) { status rowCount downloadUrl failureReason } }`,
      { id },
    );
    if (!auditExport) throw new Error(`export ${id} is not visible to the user who asked for it`);
    if (auditExport.status === 'FAILED') {
      throw new Error(`export ${id} FAILED: ${auditExport.failureReason ?? 'no reason given'}`);
    }
    if (auditExport.status === 'SUCCEEDED') {
      const { rowCount, downloadUrl } = auditExport;
      if (rowCount === null || downloadUrl === null) {
        throw new Error(`export ${id} SUCCEEDED without ${rowCount === null ? 'rowCount' : 'downloadUrl'}`);
      }
      return { id, rowCount, downloadUrl, readyMs: performance.now() - startedAt };
    }
    await delay(exportPollIntervalMs, undefined, { signal });
  }
  throw new Error(`export ${id} was not ready after ${exportReadyTimeoutMs / 1000} s`);
}

interface AuditExportState {
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  rowCount: number | null;
  downloadUrl: string | null;
  failureReason: string | null;
}

/**
 * The export holds the generated entries plus the few the API wrote itself (the
 * organization's creation, the export requests): fewer would mean the snapshot missed
 * some, and a benchmark of a smaller export than announced would flatter the result.
 */
function assertHoldsGenerated(ready: ReadyExport, size: number, format: ExportFormat): void {
  const apiEntriesAtMost = 20;
  if (ready.rowCount < size || ready.rowCount > size + apiEntriesAtMost) {
    throw new Error(
      `${format} export ${ready.id} of ${size} generated entries counts ${ready.rowCount} rows`,
    );
  }
}

/** The download must hold every row the export counted, once: one line each, plus CSV's header. */
function assertComplete(run: ExportRun): void {
  const { download, format, rowCount } = run;
  const expectedLines = format === 'CSV' ? rowCount + 1 : rowCount;
  const expectedType = format === 'CSV' ? 'text/csv' : 'application/x-ndjson';
  const problems = [
    download.lines !== expectedLines && `${download.lines} lines, expected ${expectedLines}`,
    !download.contentType?.startsWith(expectedType) &&
      `content-type ${download.contentType ?? '(none)'}, expected ${expectedType}`,
  ].filter((problem) => problem !== false);
  if (problems.length > 0) {
    throw new Error(`${count(run.size)}-entry ${format} download is wrong: ${problems.join('; ')}`);
  }
}

function report(runs: readonly ExportRun[]): string {
  return [
    '',
    `Audit export downloads through the gateway: Node ${process.version}, ${cpus().length} CPUs; ` +
      'MB = 10^6 bytes; rows include the few entries the API wrote itself',
    '',
    throughputTable(runs),
    '',
    `Memory of this process (the whole graph), sampled every ${memorySampleIntervalMs} ms: ` +
      'increase over a baseline taken after a forced GC just before each download',
    '',
    memoryTable(runs),
    'peak heap/rss: highest sample (heap includes garbage not yet collected); live heap: highest',
    "heap in use right after V8's own full GCs during the download (n/a: none ran); heap kept:",
    'after the download and a forced GC (a leak would stay here)',
    '',
    liveHeapSummary(runs),
    flatness(runs),
    '',
  ].join('\n');
}

function throughputTable(runs: readonly ExportRun[]): string {
  return formatTable(
    [
      { title: 'entries' },
      { title: 'format' },
      { title: 'rows', align: 'right' },
      { title: 'MB', align: 'right' },
      { title: 'ready s', align: 'right' },
      { title: 'first byte ms', align: 'right' },
      { title: 'download s', align: 'right' },
      { title: 'rows/s', align: 'right' },
      { title: 'MB/s', align: 'right' },
      { title: 'max chunk gap ms', align: 'right' },
    ],
    runs.map(({ size, format, rowCount, readyMs, download }) => {
      const durationSeconds = download.durationMs / 1000;
      return [
        count(size),
        format,
        count(rowCount),
        megabytes(download.bytes),
        seconds(readyMs),
        fixed(download.firstByteMs, 0),
        seconds(download.durationMs),
        count(Math.round(rowCount / durationSeconds)),
        fixed(download.bytes / 1e6 / durationSeconds, 1),
        fixed(download.maxChunkGapMs, 0),
      ];
    }),
  );
}

function memoryTable(runs: readonly ExportRun[]): string {
  return formatTable(
    [
      { title: 'entries' },
      { title: 'format' },
      { title: 'peak heap +MB', align: 'right' },
      { title: 'peak rss +MB', align: 'right' },
      { title: 'live heap +MB', align: 'right' },
      { title: 'full GCs', align: 'right' },
      { title: 'heap kept +MB', align: 'right' },
      { title: 'samples', align: 'right' },
      { title: 'max sample gap ms', align: 'right' },
    ],
    runs.map(({ size, format, baseline, peaks, heapRetained }) => [
      count(size),
      format,
      megabytes(peaks.heapUsed - baseline.heapUsed),
      megabytes(peaks.rss - baseline.rss),
      megabytes(peaks.liveHeap - baseline.heapUsed),
      String(peaks.fullCollections),
      megabytes(heapRetained),
      String(peaks.samples),
      fixed(peaks.maxGapMs, 0),
    ]),
  );
}

/**
 * The live heap, for comparison with the peaks: `heapUsed` also counts garbage that V8
 * has not collected yet, and V8 lets the old generation grow to a multiple of the live
 * heap before a full collection, so a longer download can reach a higher peak without
 * holding any more memory.
 */
function liveHeapSummary(runs: readonly ExportRun[]): string {
  const largestOf = (values: number[]) => Math.max(...values.filter(Number.isFinite));
  const live = largestOf(runs.map((run) => run.peaks.liveHeap - run.baseline.heapUsed));
  const kept = largestOf(runs.map((run) => run.heapRetained));
  const during = Number.isFinite(live)
    ? `at most +${megabytes(live)} MB`
    : 'not measured (V8 ran no full GC during any download)';
  return (
    `Live heap after V8's own full GCs during a download: ${during}; ` +
    `kept after a download: at most +${megabytes(kept)} MB`
  );
}

/** Peak heap increase at the largest size over the smallest, per format: flat memory is ≈ 1×. */
function flatness(runs: readonly ExportRun[]): string {
  const sizes = runs.map((run) => run.size);
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  if (smallest === largest) return `Only one size (${count(smallest)}): no growth ratio to report.`;
  const heapIncrease = (size: number, format: ExportFormat) => {
    const run = runs.find((candidate) => candidate.size === size && candidate.format === format)!;
    return run.peaks.heapUsed - run.baseline.heapUsed;
  };
  const ratios = formats.map(
    (format) => `${format} ${fixed(heapIncrease(largest, format) / heapIncrease(smallest, format), 2)}×`,
  );
  return (
    `Peak heap increase, ${count(largest)} entries ÷ ${count(smallest)} entries ` +
    `(${fixed(largest / smallest, 0)}× the rows): ${ratios.join(', ')} (flat memory ≈ 1×)`
  );
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return fixed(bytes / 1e6, 1);
}

function seconds(ms: number): string {
  return fixed(ms / 1000, 2);
}

runBenchmark(main, (error) => error instanceof Interrupted || interrupt.signal.aborted);
