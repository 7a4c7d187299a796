import { BadUserInputError, ForbiddenError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { AnalyticsContext } from '../context.ts';
import { metricUpdatesTopic, type MetricChanges } from '../ingest/metric-updates.ts';
import { policy } from '../policy.ts';
import { gaugeLevel } from '../providers/gauge-level.ts';
import { throttledMetricChanges, type MetricChange } from '../providers/metric-update-stream.ts';
import { organizationId as organizationIdSchema, requireMetric } from '../validation/metric-query.ts';

const maxNames = 20;

export const Subscription: SubscriptionResolvers = {
  metricUpdated: {
    subscribe: async (_parent, args, ctx) => {
      const organizationId = parseInput(organizationIdSchema, args.orgId, 'orgId');
      if (args.names.length < 1 || args.names.length > maxNames) {
        throw new BadUserInputError(`names: from 1 to ${maxNames} metric names.`, { field: 'names' });
      }
      const names = new Set(args.names.map((name, index) => requireMetric(name, `names[${index}]`).name));
      await policy.assertCanReadMetrics(ctx, organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        throttledMetricChanges(ctx.events.subscribe<MetricChanges>(metricUpdatesTopic(organizationId)), names),
        async () => policy.canReadMetrics(await access.get(), organizationId),
        access.close,
      );
    },
    resolve: async (payload: MetricChange | typeof accessRevoked, _args: unknown, ctx: AnalyticsContext) => {
      if (payload === accessRevoked) throw new ForbiddenError("You can no longer read this organization's metrics.");
      const metric = requireMetric(payload.name);
      return {
        orgId: payload.organizationId,
        name: payload.name,
        at: new Date(payload.at),
        hour: new Date(payload.hour),
        hourValue: payload.hourValue,
        day: new Date(payload.day),
        dayValue: payload.dayValue,
        level: metric.aggregation === 'GAUGE' ? await gaugeLevel(ctx.prisma, payload.organizationId, metric.name) : null,
      };
    },
  },
};
