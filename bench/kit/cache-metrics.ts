/** The gateway's counter of subgraph fetches by what its cache did with them. */
const counterName = 'tnx_gateway_cache_fetches_total';

/** Fetches counted by result, summed over subgraphs. */
export type CacheFetches = Record<string, number>;

/**
 * Reads the gateway's cache counter from its Prometheus text at `GET /metrics` (beside
 * the GraphQL endpoint `graphqlUrl`): fetches by `result` (hit, miss, bypass,
 * uncacheable), summed over subgraphs. Null when the gateway has no /metrics (404) or it
 * lacks the counter: a gateway without a cache.
 */
export async function scrapeCacheFetches(graphqlUrl: string): Promise<CacheFetches | null> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  if (!response.ok) return null;
  const fetches: CacheFetches = {};
  let found = false;
  for (const line of (await response.text()).split('\n')) {
    const sample = parseSample(line);
    if (!sample) continue;
    found = true;
    fetches[sample.result] = (fetches[sample.result] ?? 0) + sample.value;
  }
  return found ? fetches : null;
}

/** `tnx_gateway_cache_fetches_total{subgraph="identity",result="hit"} 42` → its result and value. */
function parseSample(line: string): { result: string; value: number } | null {
  if (!line.startsWith(`${counterName}{`)) return null;
  const match = /^[^{]+\{([^}]*)\}\s+(\S+)/.exec(line);
  const result = match && /(?:^|,)\s*result="([^"]*)"/.exec(match[1]!)?.[1];
  const value = Number(match?.[2]);
  return result && Number.isFinite(value) ? { result, value } : null;
}

/** The cache's hits and misses over some time. */
export interface CacheLookups {
  hit: number;
  miss: number;
}

/** Hits and misses between two readings; null when either is missing (a gateway without a cache). */
export function lookupsBetween(before: CacheFetches | null, after: CacheFetches | null): CacheLookups | null {
  if (!before || !after) return null;
  const delta = (result: string) => (after[result] ?? 0) - (before[result] ?? 0);
  return { hit: delta('hit'), miss: delta('miss') };
}

/** Lookups of several runs together; null unless every run has them. */
export function addLookups(runs: readonly (CacheLookups | null)[]): CacheLookups | null {
  if (runs.some((lookups) => lookups === null)) return null;
  return (runs as CacheLookups[]).reduce((sum, lookups) => ({ hit: sum.hit + lookups.hit, miss: sum.miss + lookups.miss }), {
    hit: 0,
    miss: 0,
  });
}

/** hit / (hit + miss): NaN (shown as n/a) without lookups, or when nothing was looked up. */
export function hitRate(lookups: CacheLookups | null): number {
  const total = lookups ? lookups.hit + lookups.miss : 0;
  return lookups && total > 0 ? lookups.hit / total : Number.NaN;
}
