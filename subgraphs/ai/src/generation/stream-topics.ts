import type { EventBus } from '@token-nexus/shared';
import type { StreamEventModel } from '../models.ts';

/** A conversation's replies, delta by delta, for `aiMessageStream`. */
export function replyStreamTopic(conversationId: string): string {
  return `ai.stream.${conversationId}`;
}

/** Cancellations, heard by every replica: the one writing the reply stops it. */
export const cancelTopic = 'ai.cancel';

export function publishStreamEvent(events: EventBus, conversationId: string, event: StreamEventModel): Promise<void> {
  return events.publish(replyStreamTopic(conversationId), event);
}
