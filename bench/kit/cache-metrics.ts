import { randomBytes } from 'node:crypto';

/**
 * The METRICS_TOKEN of the run's production graphs: in production a gateway serves
 * `/metrics` on its public port to this bearer only.
 */
export const benchMetricsToken = randomBytes(24).toString('base64url');

/** The gateway's counter of subgraph fetches by what its cache did with them. */
const counterName = 'tnx_gateway_cache_fetches_total';

/** Fetches counted by `subgraph\ttype\tresult`. */
export type CacheFetches = Record<string, number>;

/**
 * Reads the gateway's cache counter from its Prometheus text at `GET /metrics` (beside
 * the GraphQL endpoint `graphqlUrl`): fetches by subgraph, type and result (hit, miss,
 * bypass, uncacheable). Null when the gateway has no /metrics (404) or it lacks the
 * counter: a gateway without a cache.
 */
export async function scrapeCacheFetches(graphqlUrl: string): Promise<CacheFetches | null> {
  const response = await fetch(new URL('/metrics', graphqlUrl), { headers: { authorization: `Bearer ${benchMetricsToken}` } });
  if (!response.ok) return null;
  const fetches: CacheFetches = {};
  let found = false;
  for (const line of (await response.text()).split('\n')) {
    const sample = parseSample(line);
    if (!sample) continue;
    found = true;
    const key = `${sample.subgraph}\t${sample.type}\t${sample.result}`;
    fetches[key] = (fetches[key] ?? 0) + sample.value;
  }
  return found ? fetches : null;
}

/** `tnx_gateway_cache_fetches_total{subgraph="identity",type="User",result="hit"} 42` → its labels and value. */
function parseSample(line: string): { subgraph: string; type: string; result: string; value: number } | null {
  if (!line.startsWith(`${counterName}{`)) return null;
  const match = /^[^{]+\{([^}]*)\}\s+(\S+)/.exec(line);
  const label = (name: string) => (match ? new RegExp(`(?:^|,)\\s*${name}="([^"]*)"`).exec(match[1]!)?.[1] : undefined);
  const result = label('result');
  const value = Number(match?.[2]);
  return result && Number.isFinite(value) ? { subgraph: label('subgraph') ?? '', type: label('type') ?? '', result, value } : null;
}

/** Hits and misses of a cache over some time. */
export interface HitsAndMisses {
  hit: number;
  miss: number;
}

/** The cache's hits and misses over some time, in all and by what was fetched (`subgraph type`). */
export interface CacheLookups extends HitsAndMisses {
  byKind: Record<string, HitsAndMisses>;
}

/** Hits and misses between two readings; null when either is missing (a gateway without a cache). */
export function lookupsBetween(before: CacheFetches | null, after: CacheFetches | null): CacheLookups | null {
  if (!before || !after) return null;
  const lookups: CacheLookups = { hit: 0, miss: 0, byKind: {} };
  for (const [key, value] of Object.entries(after)) {
    const [subgraph, type, result] = key.split('\t') as [string, string, string];
    if (result !== 'hit' && result !== 'miss') continue;
    const delta = value - (before[key] ?? 0);
    const kind = (lookups.byKind[`${subgraph} ${type}`] ??= { hit: 0, miss: 0 });
    kind[result] += delta;
    lookups[result] += delta;
  }
  return lookups;
}

/** Lookups of several runs together; null unless every run has them. */
export function addLookups(runs: readonly (CacheLookups | null)[]): CacheLookups | null {
  if (runs.some((lookups) => lookups === null)) return null;
  const sum: CacheLookups = { hit: 0, miss: 0, byKind: {} };
  for (const lookups of runs as CacheLookups[]) {
    sum.hit += lookups.hit;
    sum.miss += lookups.miss;
    for (const [kind, counts] of Object.entries(lookups.byKind)) {
      const total = (sum.byKind[kind] ??= { hit: 0, miss: 0 });
      total.hit += counts.hit;
      total.miss += counts.miss;
    }
  }
  return sum;
}

/** hit / (hit + miss): NaN (shown as n/a) without lookups, or when nothing was looked up. */
export function hitRate(lookups: HitsAndMisses | null): number {
  const total = lookups ? lookups.hit + lookups.miss : 0;
  return lookups && total > 0 ? lookups.hit / total : Number.NaN;
}
