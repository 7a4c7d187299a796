import { Counter, type Registry } from 'prom-client';

/** How fetches were served, per subgraph and type, exported at /metrics. */
export type CacheResult = 'hit' | 'miss' | 'bypass' | 'uncacheable';

export interface CacheMetrics {
  count(subgraph: string, type: string, result: CacheResult): void;
}

/** `tnx_gateway_cache_fetches_total{subgraph, type, result}` in `registry`. */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const fetches = new Counter({
    name: 'tnx_gateway_cache_fetches_total',
    help: 'Subgraph fetches by how the gateway cache served them: hit, miss (fetched, cacheable), uncacheable (fetched, not cacheable), bypass (not looked up).',
    labelNames: ['subgraph', 'type', 'result'] as const,
    registers: [registry],
  });
  return {
    count: (subgraph, type, result) => fetches.inc({ subgraph, type, result }),
  };
}
