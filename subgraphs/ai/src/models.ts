import type { AIConversation, AIMessage } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

export interface EntityReference {
  id: string;
}

export type AIConversationConnectionModel = Connection<AIConversation>;
export type AIMessageConnectionModel = Connection<AIMessage>;

/** An `aiMessageStream` event as it travels on the bus: a delta, or the end of a reply. */
export interface StreamEventModel {
  messageId: string;
  delta: string;
  /** Set on the last event of a reply. */
  final: boolean;
}

export interface AISettingsModel {
  organizationId: string;
  enabled: boolean;
  provider: string;
  baseUrl: string | null;
  hasApiKey: boolean;
  model: string | null;
  temperature: number;
  systemPrompt: string;
  monthlyTokenQuota: number | null;
  allowedTools: string[];
}

export interface AIUsageModel {
  day: Date;
  model: string;
  promptTokens: number;
  completionTokens: number;
  requests: number;
  estimatedCostMicros: bigint;
}
