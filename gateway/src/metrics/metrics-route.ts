import { Registry } from 'prom-client';
import type { Route } from '../http/router.ts';

/** The gateway's metrics, one registry per gateway (several may run in one process). */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/** `GET /metrics`: the registry in Prometheus' text format. */
export function metricsRoute(registry: Registry): Route {
  return {
    matches: (path) => path === '/metrics',
    handle: async ({ response }) => {
      const body = await registry.metrics();
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(body);
    },
  };
}
