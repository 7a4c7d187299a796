import type { ApolloServerPlugin } from '@apollo/server';
import { operationMetricsPlugin, type PlatformMetrics } from '@token-nexus/shared';
import type { GatewayContext } from '../context.ts';
import { operationLimitOf } from '../operation-limits/operation-limit-error.ts';

/**
 * The gateway's operations as every service records them (duration, outcome, errors by
 * code, under `service="gateway"`), and its refusals by operation limit.
 */
export function gatewayMetricsPlugin(metrics: PlatformMetrics): ApolloServerPlugin<GatewayContext> {
  return operationMetricsPlugin<GatewayContext>('gateway', metrics, (errors) => {
    for (const error of errors) {
      const limit = operationLimitOf(error);
      if (limit) metrics.operationLimitRefusals.inc({ limit });
    }
  });
}
