import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { cancelMessage } from '../../providers/messages.ts';

export const cancelAiMessage: NonNullable<MutationResolvers['cancelAiMessage']> = (_parent, args, ctx) => cancelMessage(ctx, args);
