import type { OrganizationResolvers } from '../__generated__/resolvers-types.ts';
import { listEntries } from '../providers/entries.ts';

export const Organization: OrganizationResolvers = {
  /** Identity owns organizations; here one is just the id its trail is keyed by. */
  __resolveReference: (reference) => ({ id: reference.id }),
  auditLogs: (organization, args, ctx) => listEntries(ctx, { orgId: organization.id, ...args }),
};
