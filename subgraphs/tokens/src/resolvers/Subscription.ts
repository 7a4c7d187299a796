import { ForbiddenError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { TokensContext } from '../context.ts';
import type { TokenEventModel } from '../models.ts';
import { createLoaders } from '../loaders.ts';
import { policy } from '../policy.ts';
import { tokenEventsTopic } from '../providers/token-events.ts';
import { uuid } from '../validation/inputs.ts';

export const Subscription: SubscriptionResolvers = {
  tokenEvents: {
    subscribe: async (_parent, args, ctx) => {
      const organizationId = parseInput(uuid, args.orgId, 'orgId');
      await policy.assertCanRead(ctx, organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        ctx.events.subscribe<TokenEventModel>(tokenEventsTopic(organizationId)),
        async () => policy.canRead(await access.get(), organizationId),
        access.close,
      );
    },
    resolve: (payload: TokenEventModel | typeof accessRevoked, _args: unknown, ctx: TokensContext) => {
      if (payload === accessRevoked) throw new ForbiddenError("You can no longer follow this organization's tokens.");
      // A subscription's context lives as long as it does: each event reads afresh, or
      // every event would show the token as the first one found it.
      ctx.loaders = createLoaders(ctx.prisma);
      return payload;
    },
  },
};
