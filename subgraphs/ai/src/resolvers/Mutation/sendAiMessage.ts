import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { sendMessage } from '../../providers/messages.ts';

export const sendAiMessage: NonNullable<MutationResolvers['sendAiMessage']> = (_parent, args, ctx) => sendMessage(ctx, args);
