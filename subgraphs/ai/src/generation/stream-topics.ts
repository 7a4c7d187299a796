import type { EventBus } from '@token-nexus/shared';
import type { StreamEventModel } from '../models.ts';

/** A conversation's replies, delta by delta, for `aiMessageStream`. */
export function replyStreamTopic(conversationId: string): string {
  return `ai.stream.${conversationId}`;
}

/** Cancellations, heard by every replica: the one writing the reply stops it. */
export const cancelTopic = 'ai.cancel';

/**
 * Requests for a reply's text so far, heard by every replica: the one writing the reply
 * answers on the conversation's stream with a catch-up event (offset 0, the whole text).
 */
export const catchUpTopic = 'ai.catch-up';

export interface CatchUpRequest {
  messageId: string;
}

export function publishStreamEvent(events: EventBus, conversationId: string, event: StreamEventModel): Promise<void> {
  return events.publish(replyStreamTopic(conversationId), event);
}
