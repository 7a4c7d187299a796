import type { EventBus } from '@token-nexus/shared';
import type { ChainStatusEventModel } from '../models.ts';

/** Every chain's status changes travel on one topic (there are few chains, and few changes). */
export const chainStatusTopic = 'tokens.chains';

/** Announces, after its commit, a change to what a chain's `status` or `factory` shows. */
export function publishChainStatusEvent(events: EventBus, chainId: number): Promise<void> {
  const event: ChainStatusEventModel = { chainId };
  return events.publish(chainStatusTopic, event);
}
