import type { MembershipConnectionResolvers } from '../__generated__/resolvers-types.ts';

export const MembershipConnection: MembershipConnectionResolvers = {
  totalCount: (connection, _args, ctx) =>
    ctx.loaders.memberCountByOrganizationId.load(connection.organizationId),
};
