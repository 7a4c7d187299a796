import type {
  AiConversationResolvers,
  AiMessageResolvers,
  AiMessageStreamEventResolvers,
  AiSettingsResolvers,
  AiUsageResolvers,
} from '../__generated__/resolvers-types.ts';
import { listMessages } from '../providers/conversations.ts';
import { settingsUsage } from '../providers/settings.ts';

export const AIConversation: AiConversationResolvers = {
  organization: (conversation) => ({ id: conversation.organizationId }),
  user: (conversation) => ({ id: conversation.userId }),
  messages: (conversation, args, ctx) => listMessages(ctx, conversation.id, args),
};

export const AIMessage: AiMessageResolvers = {
  toolName: (message) =>
    message.role === 'TOOL' && Array.isArray(message.toolCalls) ? String((message.toolCalls[0] as { name?: string })?.name ?? '') || null : null,
};

export const AIMessageStreamEvent: AiMessageStreamEventResolvers = {
  /** Read afresh on the final event: the stored message as it ended. */
  message: (event, _args, ctx) => (event.final ? ctx.prisma.aIMessage.findUnique({ where: { id: event.messageId } }) : null),
};

export const AISettings: AiSettingsResolvers = {
  tokensUsedThisMonth: (settings, _args, ctx) => settingsUsage(ctx, settings),
};

export const AIUsage: AiUsageResolvers = {
  estimatedCost: (usage) => Number(usage.estimatedCostMicros) / 1_000_000,
};
