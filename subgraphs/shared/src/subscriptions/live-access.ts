import type { Claims } from '../claims/claims.ts';
import type { OrganizationAccessClient, ViewerAccess } from '../access/organization-access.ts';
import type { EventBus } from '../pubsub/event-bus.ts';

/** Published by identity after any change to a user's memberships or platform role. */
export function accessChangedTopic(userId: string): string {
  return `identity.access_changed.${userId}`;
}

export interface LiveAccess {
  /** The subscriber's current access: asked from identity again after every change to it. */
  get(): Promise<ViewerAccess>;
  close(): void;
}

/**
 * A subscriber's access, kept for the life of a subscription. Asking identity on every
 * event would cost a request per event per subscriber; instead the answer is kept until
 * identity says this user's access changed (a removal, a demotion), and asked again then,
 * so a removed member's next event is refused.
 */
export function createLiveAccess(client: OrganizationAccessClient, events: EventBus, claims: Claims): LiveAccess {
  let current: Promise<ViewerAccess> | undefined;
  const load = () => (current ??= client.forRequest(claims)());
  const changes = claims.actor.type === 'user' ? events.subscribe(accessChangedTopic(claims.actor.userId)) : undefined;
  if (changes) {
    void (async () => {
      for await (const _change of changes) current = undefined;
    })().catch(() => undefined);
  }
  return {
    get: load,
    close: () => void changes?.return?.(),
  };
}
