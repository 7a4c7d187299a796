import type { AuditEntryResolvers } from '../__generated__/resolvers-types.ts';

export const AuditEntry: AuditEntryResolvers = {
  organization: (entry) => (entry.organizationId ? { id: entry.organizationId } : null),
  actor: (entry) => (entry.actorType === 'USER' && entry.actorId ? { id: entry.actorId } : null),
};
