import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** What the kernel says of a process's memory, in bytes (from /proc/<pid>/status). */
export interface ProcessMemory {
  /** VmRSS: resident now. */
  rss: number;
  /** VmHWM: the most it has been resident since it started, or since `resetPeakRss`. */
  peakRss: number;
}

/** What a sampler of another process saw while it ran. */
export interface ProcessMemoryPeaks {
  /** The highest VmRSS sampled. */
  rss: number;
  samples: number;
  /** The longest time between two samples: a peak shorter than this may have been missed (VmHWM is not). */
  maxGapMs: number;
}

/**
 * The id of this process's child whose command line contains `commandPart`: the graph
 * that testkit/graph-process.ts spawned (node itself, `--import tsx launcher/src/main.ts`,
 * with no shell or pnpm in between), which does not hand its id over. Linux only.
 */
export function childProcessId(commandPart: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent's id is the 2nd field after the command name, which may hold spaces and ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').includes(commandPart)) return Number(entry);
    } catch {
      // The process ended while being read.
    }
  }
  throw new Error(`no child process of ${process.pid} runs "${commandPart}"`);
}

/** Reads VmRSS and VmHWM of process `pid`. */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rss: kilobytes('VmRSS'), peakRss: kilobytes('VmHWM') };
}

/**
 * Resets process `pid`'s VmHWM to its current RSS (writing 5 to its clear_refs, Linux 4.0
 * and later; a process of the same user may), so that VmHWM read later is the peak of
 * what came after, with no sample missed. @returns false when the kernel refused.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * How process `pid` ended, while its parent has not yet reaped it (a zombie keeps its
 * exit status in /proc/<pid>/stat, field 52, as waitpid(2) reports it): `exited with 1`,
 * `killed by signal 9`, `gone` when already reaped; undefined while it runs.
 */
export function processEnd(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 'gone';
  }
  // Fields from the 3rd (state) on, after the command name, which may hold spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  if (fields[0] !== 'Z' && fields[0] !== 'X') return undefined;
  const status = Number(fields[52 - 3]);
  if (!Number.isInteger(status)) return 'ended';
  return (status & 0x7f) === 0 ? `exited with ${(status >> 8) & 0xff}` : `killed by signal ${status & 0x7f}`;
}

/**
 * Samples process `pid`'s VmRSS every `intervalMs` until stopped, or until the process
 * ends (then `processEnd` says how), keeping only the peak. The samples are taken on this
 * process's event loop (a synchronous read of a small file), so a busy loop here shows as
 * `maxGapMs`.
 */
export function sampleProcessRss(pid: number, intervalMs: number): { stop(): ProcessMemoryPeaks } {
  const peaks: ProcessMemoryPeaks = { rss: readProcessMemory(pid).rss, samples: 1, maxGapMs: 0 };
  let lastAt = performance.now();
  const sample = () => {
    const now = performance.now();
    let rss: number;
    try {
      rss = readProcessMemory(pid).rss;
    } catch {
      // It ended (a zombie has no VmRSS): processEnd says how.
      clearInterval(timer);
      return;
    }
    peaks.rss = Math.max(peaks.rss, rss);
    peaks.samples++;
    peaks.maxGapMs = Math.max(peaks.maxGapMs, now - lastAt);
    lastAt = now;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}
