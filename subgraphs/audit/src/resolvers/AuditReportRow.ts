import type { AuditReportRowResolvers } from '../__generated__/resolvers-types.ts';

export const AuditReportRow: AuditReportRowResolvers = {
  actor: (row) => (row.actorUserId ? { id: row.actorUserId } : null),
};
