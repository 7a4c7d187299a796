import type { AIConversation, AIMessage } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

export interface EntityReference {
  id: string;
}

export type AIConversationConnectionModel = Connection<AIConversation>;
export type AIMessageConnectionModel = Connection<AIMessage>;

/**
 * An `aiMessageStream` event as it travels on the bus: a piece of a reply's text, or its
 * end. `offset` is where `delta` starts in the reply's text (UTF-16 code units, as
 * JavaScript counts); on the final event, the length of the whole text. A catch-up
 * event (the writer's answer to a late subscriber) is the text so far at offset 0.
 */
export interface StreamEventModel {
  messageId: string;
  offset: number;
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
