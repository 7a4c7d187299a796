import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listConversations } from '../../providers/conversations.ts';

export const aiConversations: NonNullable<QueryResolvers['aiConversations']> = (_parent, args, ctx) => listConversations(ctx, args);
