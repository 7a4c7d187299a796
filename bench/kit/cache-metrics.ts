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

/**
 * hit / (hit + miss) between two readings: NaN (shown as n/a) when either is missing or
 * nothing was looked up in the cache.
 */
export function hitRate(before: CacheFetches | null, after: CacheFetches | null): number {
  if (!before || !after) return Number.NaN;
  const delta = (result: string) => (after[result] ?? 0) - (before[result] ?? 0);
  const lookups = delta('hit') + delta('miss');
  return lookups > 0 ? delta('hit') / lookups : Number.NaN;
}
