import type { EventBus } from '@token-nexus/shared';
import type { AuditEntry } from '../generated/client.ts';

/** The topic of an organization's live audit feed. */
export function auditEntryTopic(organizationId: string): string {
  return `audit.entry.${organizationId}`;
}

/**
 * Publishes committed entries to their organization's live feed (platform entries, which
 * belong to no organization, are not published). Fire and forget: the change is already
 * committed and recorded; a lost publication only means a live viewer misses a line it
 * can still read from `auditLogs`.
 */
export function publishAuditEntries(bus: EventBus): (entries: AuditEntry[]) => void {
  return (entries) => {
    for (const entry of entries) {
      if (entry.organizationId) void bus.publish(auditEntryTopic(entry.organizationId), entry).catch(() => undefined);
    }
  };
}
