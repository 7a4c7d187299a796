import type { OrganizationResolvers } from '../__generated__/resolvers-types.ts';
import { listTokens } from '../providers/tokens.ts';

export const Organization: OrganizationResolvers = {
  tokens: (organization, args, ctx) => listTokens(ctx, { ...args, orgId: organization.id }),
};
