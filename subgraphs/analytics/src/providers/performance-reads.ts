import type { AnalyticsContext } from '../context.ts';
import type { OperationPerformanceModel, ServiceLevelModel } from '../models.ts';
import { policy } from '../policy.ts';
import { requirePeriod } from '../validation/metric-query.ts';
import { optionalOrganizationId, requireFirst } from '../validation/performance-query.ts';
import { operationPerformance } from './operation-performance.ts';
import { serviceLevel } from './service-level.ts';

/** `operationPerformance`: checks the arguments and the caller, then reads. */
export async function readOperationPerformance(
  ctx: AnalyticsContext,
  args: { orgId?: string | null; from: Date | string; to: Date | string; first?: number | null },
): Promise<OperationPerformanceModel[]> {
  const organizationId = optionalOrganizationId(args.orgId);
  const period = requirePeriod(new Date(args.from), new Date(args.to), 'from');
  const first = requireFirst(args.first);
  await policy.assertCanReadPerformance(ctx, organizationId);
  return operationPerformance(ctx, { organizationId, period, first });
}

/** `serviceLevel`: checks the arguments and the caller, then reads. */
export async function readServiceLevel(
  ctx: AnalyticsContext,
  args: { orgId?: string | null; from: Date | string; to: Date | string },
): Promise<ServiceLevelModel> {
  const organizationId = optionalOrganizationId(args.orgId);
  const period = requirePeriod(new Date(args.from), new Date(args.to), 'from');
  await policy.assertCanReadPerformance(ctx, organizationId);
  return serviceLevel(ctx, { organizationId, period });
}
