import { ForbiddenError, NotFoundError, accessRevoked, createLiveAccess, filteredStream, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import type { TokensContext } from '../context.ts';
import type { ChainStatusEventModel, TokenEventModel } from '../models.ts';
import { createLoaders } from '../loaders.ts';
import { policy } from '../policy.ts';
import { chainStatusTopic } from '../providers/chain-events.ts';
import { tokenEventsTopic } from '../providers/token-events.ts';
import { chainIdArgument, uuid } from '../validation/inputs.ts';

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
  chainStatusChanged: {
    subscribe: async (_parent, args, ctx) => {
      policy.requireViewer(ctx);
      const chainId = args.chainId == null ? null : parseInput(chainIdArgument, args.chainId, 'chainId');
      const systemAdmin = await policy.isSystemAdmin(ctx);
      return filteredStream(ctx.events.subscribe<ChainStatusEventModel>(chainStatusTopic), async (event) => {
        if (chainId !== null && event.chainId !== chainId) return false;
        // A disabled chain is a SYSTEM_ADMIN's business, as in `chains`.
        return systemAdmin || (await ctx.prisma.chain.findUnique({ where: { chainId: event.chainId }, select: { enabled: true } }))?.enabled === true;
      });
    },
    resolve: async (payload: ChainStatusEventModel, _args: unknown, ctx: TokensContext) => {
      ctx.loaders = createLoaders(ctx.prisma);
      const chain = await ctx.loaders.chainById.load(payload.chainId);
      if (!chain) throw new NotFoundError(`Chain ${payload.chainId} was removed.`);
      return chain;
    },
  },
};
