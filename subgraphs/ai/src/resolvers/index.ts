import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { cancelAiMessage } from './Mutation/cancelAiMessage.ts';
import { createAiConversation } from './Mutation/createAiConversation.ts';
import { sendAiMessage } from './Mutation/sendAiMessage.ts';
import { updateAiConversation } from './Mutation/updateAiConversation.ts';
import { updateAiSettings } from './Mutation/updateAiSettings.ts';
import { aiConversation } from './Query/aiConversation.ts';
import { aiConversations } from './Query/aiConversations.ts';
import { aiSettings } from './Query/aiSettings.ts';
import { aiTools } from './Query/aiTools.ts';
import { aiUsage } from './Query/aiUsage.ts';
import { Subscription } from './Subscription.ts';
import { AIConversation, AIMessage, AIMessageStreamEvent, AISettings, AIUsage } from './Types.ts';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  Query: { aiConversation, aiConversations, aiSettings, aiUsage, aiTools },
  Mutation: { createAiConversation, updateAiConversation, sendAiMessage, cancelAiMessage, updateAiSettings },
  Subscription,
  AIConversation,
  AIMessage,
  AIMessageStreamEvent,
  AISettings,
  AIUsage,
};
