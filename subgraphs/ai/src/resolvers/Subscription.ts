import { BadUserInputError, ForbiddenError, NotFoundError, accessRevoked, createLiveAccess, guardedStream, parseInput } from '@token-nexus/shared';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.ts';
import { replyStream } from '../generation/reply-stream.ts';
import type { StreamEventModel } from '../models.ts';
import { policy } from '../policy.ts';
import { streamOffset, uuid } from '../validation/inputs.ts';

export const Subscription: SubscriptionResolvers = {
  aiMessageStream: {
    subscribe: async (_parent, args, ctx) => {
      const conversation = await policy.ownConversation(ctx, parseInput(uuid, args.conversationId, 'conversationId'));
      await policy.assertMember(ctx, conversation.organizationId);
      const messageId = args.messageId == null ? null : parseInput(uuid, args.messageId, 'messageId');
      const offset = args.offset == null ? 0 : parseInput(streamOffset, args.offset, 'offset');
      if (offset > 0 && !messageId) throw new BadUserInputError('offset: give the messageId it counts in.', { field: 'offset' });
      if (messageId) {
        const message = await ctx.prisma.aIMessage.findUnique({ where: { id: messageId }, select: { conversationId: true, role: true } });
        if (message?.conversationId !== conversation.id || message.role !== 'ASSISTANT') {
          throw new NotFoundError('messageId: no reply of this conversation has that id.');
        }
      }
      const access = createLiveAccess(ctx.organizationAccess, ctx.events, ctx.claims);
      return guardedStream(
        replyStream({
          prisma: ctx.prisma,
          events: ctx.events,
          conversationId: conversation.id,
          follow: messageId ? { messageId, offset } : null,
        }),
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
