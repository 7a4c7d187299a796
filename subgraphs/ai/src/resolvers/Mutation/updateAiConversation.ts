import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { updateConversation } from '../../providers/conversations.ts';

export const updateAiConversation: NonNullable<MutationResolvers['updateAiConversation']> = (_parent, args, ctx) => updateConversation(ctx, args);
