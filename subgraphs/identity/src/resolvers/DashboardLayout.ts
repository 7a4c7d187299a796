import { uuid } from '../validation/inputs.ts';
import type { DashboardLayoutResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';

export const DashboardLayout: DashboardLayoutResolvers = {
  /**
   * A dashboard is its member's own: another member's (or a stranger's) reference
   * resolves to null, like `dashboardLayout` answers for a dashboard never saved, and the
   * same rule as `dashboardLayout` applies (you must still see the organization).
   */
  __resolveReference: async (reference, ctx) => {
    policy.requireViewer(ctx);
    const organizationId = uuid.safeParse(reference.orgId);
    if (!organizationId.success || reference.userId !== ctx.viewerId) return null;
    await policy.assertCanViewOrganization(ctx, organizationId.data);
    return ctx.loaders.dashboardLayoutByOrganizationId.load(organizationId.data);
  },
  orgId: (layout) => layout.organizationId,
};
