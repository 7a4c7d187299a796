import type { AuditEntry } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

export type AuditEntryConnectionModel = Connection<AuditEntry>;

/** A page of security events: the audit entries that record them. */
export type SecurityEventConnectionModel = Connection<AuditEntry>;

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

export interface AuditReportRowModel {
  key: string;
  count: number;
  actorUserId: string | null;
  day: Date | null;
}
