import { ForbiddenError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import { replyStreamTopic } from '../generation/stream-topics.ts';
import type { StreamEventModel } from '../models.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';

export const Subscription: SubscriptionResolvers = {
  aiMessageStream: {
    subscribe: async (_parent, args, ctx) => {
      const conversation = await policy.ownConversation(ctx, parseInput(uuid, args.conversationId, 'conversationId'));
      await policy.assertMember(ctx, conversation.organizationId);
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        ctx.events.subscribe<StreamEventModel>(replyStreamTopic(conversation.id)),
        async () => (await access.get()).roles.has(conversation.organizationId),
        access.close,
      );
    },
    resolve: (payload: StreamEventModel | typeof accessRevoked) => {
      if (payload === accessRevoked) throw new ForbiddenError('You are no longer a member of this organization.');
      return payload;
    },
  },
};
