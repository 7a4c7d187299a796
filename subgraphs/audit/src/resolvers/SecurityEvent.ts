import type { SecurityEventResolvers } from '../__generated__/resolvers-types.ts';
import { securityEventKind } from '../providers/security-event-kinds.ts';

/** A security event is its audit entry, read with the event's names. */
export const SecurityEvent: SecurityEventResolvers = {
  kind: (entry) => securityEventKind(entry.action),
  organization: (entry) => (entry.organizationId ? { id: entry.organizationId } : null),
  actor: (entry) => (entry.actorType === 'USER' && entry.actorId ? { id: entry.actorId } : null),
  ipAddress: (entry) => entry.clientIp,
  // Security events record what they are about as the entry's `after`.
  details: (entry) => {
    const changes = entry.changes as { after?: unknown } | null;
    return changes && typeof changes === 'object' && 'after' in changes ? changes.after : changes;
  },
};
