import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findConversation } from '../../providers/conversations.ts';

export const aiConversation: NonNullable<QueryResolvers['aiConversation']> = (_parent, args, ctx) => findConversation(ctx, args.id);
