import { parseInput } from '@token-nexus/shared';
import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { policy } from '../../policy.ts';
import { requireOrganization } from '../../providers/organizations.ts';
import { uuid } from '../../validation/inputs.ts';

export const dashboardLayout: NonNullable<QueryResolvers['dashboardLayout']> = async (
  _parent,
  args,
  ctx,
) => {
  policy.requireViewer(ctx);
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  await requireOrganization(ctx, organizationId);
  await policy.assertCanViewOrganization(ctx, organizationId);
  return ctx.loaders.dashboardLayoutByOrganizationId.load(organizationId);
};
