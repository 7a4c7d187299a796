import type { EventBus } from '@token-nexus/shared';
import type { TokenEventModel } from '../models.ts';

/** Every token event of an organization travels on one topic. */
export function tokenEventsTopic(organizationId: string): string {
  return `tokens.events.${organizationId}`;
}

/** Announces, after its commit, a change to a token (and the transaction concerned). */
export function publishTokenEvent(events: EventBus, organizationId: string, event: TokenEventModel): Promise<void> {
  return events.publish(tokenEventsTopic(organizationId), event);
}
