import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { createConversation } from '../../providers/conversations.ts';

export const createAiConversation: NonNullable<MutationResolvers['createAiConversation']> = (_parent, args, ctx) => createConversation(ctx, args.input);
