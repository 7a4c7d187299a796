import type { DashboardLayoutResolvers } from '../__generated__/resolvers-types.ts';

export const DashboardLayout: DashboardLayoutResolvers = {
  orgId: (layout) => layout.organizationId,
};
