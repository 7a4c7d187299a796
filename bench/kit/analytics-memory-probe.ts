/**
 * Preloaded into a graph process by analytics-graph.ts (NODE_OPTIONS=--import=<this
 * file>, loaded with Node's own type stripping: it imports nothing but Node's modules and
 * uses no syntax beyond type annotations). It reads the graph's memory and CPU time from
 * inside, since another process can read neither the V8 heap nor the CPU of the main
 * thread alone:
 *
 * - every BENCH_PROBE_INTERVAL_MS (default 250), a `tick` sample;
 * - right after each full (mark-compact) collection V8 runs on its own, a `major-gc`
 *   sample, whose heapUsed is the live heap (what `heapUsed` shows mixed with garbage
 *   not yet collected at other times).
 *
 * Each sample is a JSON line appended to BENCH_PROBE_FILE with one small synchronous
 * write (a few hundred bytes a second: nothing worth measuring). Only the main thread
 * samples; without BENCH_PROBE_FILE the probe does nothing.
 */
import { openSync, writeSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/** One reading of the graph process, as written to the probe file. */
export interface ProbeSample {
  kind: 'start' | 'tick' | 'major-gc';
  /** Date.now() when taken. */
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The process's CPU time so far (user + system, all threads), in microseconds. */
  cpuMicros: number;
}

const file = process.env.BENCH_PROBE_FILE;
if (file && isMainThread) startProbe(file, Number(process.env.BENCH_PROBE_INTERVAL_MS ?? 250));

function startProbe(path: string, intervalMs: number): void {
  const fd = openSync(path, 'a');
  const sample = (kind: ProbeSample['kind']) => {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const reading: ProbeSample = {
      kind,
      at: Date.now(),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      cpuMicros: cpu.user + cpu.system,
    };
    writeSync(fd, `${JSON.stringify(reading)}\n`);
  };
  sample('start');
  // Unreferenced: the probe never keeps the graph from exiting.
  setInterval(() => sample('tick'), Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs : 250).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number } }).detail;
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) sample('major-gc');
    }
  }).observe({ entryTypes: ['gc'] });
}
