import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';

export const User: UserResolvers = {
  /**
   * Another subgraph asks for a user (e.g. who created a token). A user you cannot see
   * (you share no organization) resolves to null, exactly like one that does not exist.
   */
  __resolveReference: async (reference, ctx) => {
    if (!uuid.safeParse(reference.id).success) return null;
    if (!(await policy.canViewUser(ctx, reference.id))) return null;
    return ctx.loaders.userById.load(reference.id);
  },

  memberships: async (user, _args, ctx) => {
    const memberships = await ctx.loaders.membershipsByUserId.load(user.id);
    if (user.id === ctx.viewerId || (await policy.isSystemAdmin(ctx))) return memberships;
    const visible = await Promise.all(
      memberships.map((membership) => policy.viewerRole(ctx, membership.organizationId)),
    );
    return memberships.filter((_membership, index) => visible[index] !== null);
  },
};
