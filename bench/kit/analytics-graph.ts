import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Checkout } from './checkout.ts';
import type { ProbeSample } from './analytics-memory-probe.ts';
import { productionEnv, startProductionGraph, type ProductionGraph, type ProductionSetting } from './production-graph.ts';

const probeUrl = pathToFileURL(new URL('./analytics-memory-probe.ts', import.meta.url).pathname).href;

/** How often the probe in the graph reads its memory and CPU time. */
export const probeIntervalMs = 250;

/** The ingester's settings the run passes on (ANALYTICS_INGEST_*), when set; otherwise the graph's defaults. */
export interface IngestOverrides {
  batchSize?: number;
  intervalMs?: number;
}

/** A production graph with the memory probe in it and the analytics subgraph's own endpoint. */
export interface AnalyticsGraph {
  graph: ProductionGraph;
  /** When the process was started (Date.now()). */
  startedAt: number;
  /** The analytics subgraph's GraphQL endpoint, for requests that skip the gateway. */
  analyticsUrl: string;
  /** Everything the probe wrote so far. */
  samples(): Promise<ProbeSample[]>;
}

/**
 * Starts the graph as `pnpm start` runs it in production (see production-graph.ts), with
 * three additions: the analytics subgraph on a free port (productionEnv leaves
 * ANALYTICS_PORT at its default 4007), the probe of analytics-memory-probe.ts preloaded,
 * writing to `<runDir>/<name>.probe.jsonl`, and the ingester's settings if overridden.
 */
export async function startAnalyticsGraph(
  checkout: Checkout,
  setting: ProductionSetting,
  options: { name: string; runDir: string; cpuProfile: boolean; ingest: IngestOverrides },
): Promise<AnalyticsGraph> {
  const probeFile = join(options.runDir, `${options.name.replace(/[^a-z0-9]+/gi, '-')}.probe.jsonl`);
  const env: Record<string, string> = {
    ...productionEnv(setting),
    ANALYTICS_PORT: '0',
    WORKFLOWS_PORT: '0',
    MEDIA_PORT: '0',
    NODE_OPTIONS: `--import=${probeUrl}`,
    BENCH_PROBE_FILE: probeFile,
    BENCH_PROBE_INTERVAL_MS: String(probeIntervalMs),
    ...(options.ingest.batchSize ? { ANALYTICS_INGEST_BATCH_SIZE: String(options.ingest.batchSize) } : {}),
    ...(options.ingest.intervalMs ? { ANALYTICS_INGEST_INTERVAL_MS: String(options.ingest.intervalMs) } : {}),
  };
  const startedAt = Date.now();
  const graph = await startProductionGraph(checkout, env, { name: options.name, runDir: options.runDir, cpuProfile: options.cpuProfile });
  try {
    const port = listeningPort(await readFile(graph.logFile, 'utf8'), 'analytics');
    if (port === undefined) throw new Error(`${options.name}: the analytics subgraph logged no port (see ${graph.logFile})`);
    return {
      graph,
      startedAt,
      analyticsUrl: `http://127.0.0.1:${port}/graphql`,
      samples: () => readProbe(probeFile),
    };
  } catch (error) {
    await graph.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The port from a subgraph's `<name> subgraph listening` log line (JSON, one per line):
 * the last one, since a log file is appended to and may hold an earlier process's.
 */
function listeningPort(output: string, subgraph: string): number | undefined {
  let port: number | undefined;
  for (const line of output.split('\n')) {
    if (!line.includes(`"${subgraph} subgraph listening"`)) continue;
    try {
      const entry = JSON.parse(line) as { port?: unknown };
      if (typeof entry.port === 'number') port = entry.port;
    } catch {
      // Not a log line after all.
    }
  }
  return port;
}

async function readProbe(file: string): Promise<ProbeSample[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as ProbeSample);
}

/** The whole machine's CPU time so far, from /proc/stat, in clock ticks. */
export interface MachineCpu {
  busy: number;
  total: number;
}

/** Reads /proc/stat's first line: busy is all but idle and iowait. NaNs where there is no /proc. */
export async function machineCpu(): Promise<MachineCpu> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => '');
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 5) return { busy: Number.NaN, total: Number.NaN };
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** Of all the machine's CPU time between two readings, the share that was busy (1 = every core). */
export function busyShare(before: MachineCpu, after: MachineCpu): number {
  return (after.busy - before.busy) / (after.total - before.total);
}
