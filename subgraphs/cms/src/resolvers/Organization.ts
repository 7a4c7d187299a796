import type { OrganizationResolvers } from '../__generated__/resolvers-types.ts';
import { listPages } from '../providers/pages.ts';

export const Organization: OrganizationResolvers = {
  /** Identity owns organizations; here one is just the id its pages are kept under. */
  __resolveReference: (reference) => ({ id: reference.id }),
  pages: (organization, args, ctx) => listPages(ctx, { orgId: organization.id, ...args }),
};
