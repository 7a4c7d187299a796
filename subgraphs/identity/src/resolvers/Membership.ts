import type { MembershipResolvers } from '../__generated__/resolvers-types.ts';

export const Membership: MembershipResolvers = {
  user: async (membership, _args, ctx) => {
    const user = await ctx.loaders.userById.load(membership.userId);
    if (!user) throw new Error(`membership points at missing user ${membership.userId}`);
    return user;
  },
  organization: async (membership, _args, ctx) => {
    const organization = await ctx.loaders.organizationById.load(membership.organizationId);
    if (!organization) {
      throw new Error(`membership points at missing organization ${membership.organizationId}`);
    }
    return organization;
  },
};
