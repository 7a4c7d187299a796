import { servePublicMetrics, type MetricsAccess } from '@token-nexus/shared';
import type { Registry } from 'prom-client';
import type { Route } from '../http/router.ts';

/**
 * `GET /metrics` on the public port: the registry in Prometheus' text format, to anyone
 * outside production, in production only with METRICS_TOKEN (see servePublicMetrics).
 * When the whole graph runs in one process, the registry holds every service's metrics.
 */
export function metricsRoute(registry: Registry, access: MetricsAccess): Route {
  return {
    matches: (path) => path === '/metrics',
    handle: ({ request, response }) => servePublicMetrics(registry, access, request, response),
  };
}
