import { GCProfiler } from 'node:v8';

/** Memory figures of this process, in bytes (from `process.memoryUsage()`). */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
}

/** What a sampler saw while it ran. */
export interface MemoryPeaks extends MemoryReading {
  samples: number;
  /**
   * The longest time between two samples. Samples are taken on the event loop, so a gap
   * well over the interval means something blocked it (and a peak may have been missed).
   */
  maxGapMs: number;
  /**
   * The most heap still in use right after one of the full (mark-compact) collections V8
   * ran on its own meanwhile: the live heap, which `heapUsed` only shows mixed with
   * garbage not yet collected. NaN when there was no full collection.
   */
  liveHeap: number;
  /** How many full collections V8 ran meanwhile. */
  fullCollections: number;
}

export interface MemorySampler {
  /** Stops sampling (taking one last sample) and returns the peaks. */
  stop(): MemoryPeaks;
}

/**
 * Whether this process can force a garbage collection (`node --expose-gc`, or
 * `tsx --expose-gc`, which passes the flag on to node).
 */
export function canCollectGarbage(): boolean {
  return typeof globalThis.gc === 'function';
}

/**
 * Forces full garbage collections and then reads the memory: a baseline that holds only
 * what is still referenced, so that an increase measured from it is not garbage left over
 * from earlier work. Twice, because a first collection can leave objects that only a
 * second one finds unreachable (those freed by finalizers and weak references).
 */
export function collectGarbage(): MemoryReading {
  if (!globalThis.gc) throw new Error('garbage collection is not exposed: run node with --expose-gc');
  globalThis.gc();
  globalThis.gc();
  return read();
}

/**
 * Samples the memory every `intervalMs` until stopped, keeping only the peaks (and so
 * taking no memory that grows with the run). It samples at start and at stop too, so even
 * a run shorter than one interval has a peak.
 */
export function sampleMemory(intervalMs: number): MemorySampler {
  // The profiler records the heap before and after every collection, at no cost worth
  // measuring: the live heap without forcing collections (which would pause the run).
  const profiler = new GCProfiler();
  profiler.start();
  const first = read();
  const peaks = { ...first, samples: 1, maxGapMs: 0 };
  let lastAt = performance.now();
  const sample = () => {
    const now = performance.now();
    const reading = read();
    peaks.rss = Math.max(peaks.rss, reading.rss);
    peaks.heapUsed = Math.max(peaks.heapUsed, reading.heapUsed);
    peaks.samples++;
    peaks.maxGapMs = Math.max(peaks.maxGapMs, now - lastAt);
    lastAt = now;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const fullCollections = profiler
        .stop()
        .statistics.filter((collection) => collection.gcType === 'MarkSweepCompact');
      const liveHeaps = fullCollections.map((collection) => collection.afterGC.heapStatistics.usedHeapSize);
      return {
        ...peaks,
        liveHeap: liveHeaps.length > 0 ? Math.max(...liveHeaps) : Number.NaN,
        fullCollections: liveHeaps.length,
      };
    },
  };
}

function read(): MemoryReading {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
