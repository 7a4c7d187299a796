import type { AuditExportResolvers } from '../__generated__/resolvers-types.ts';

export const AuditExport: AuditExportResolvers = {
  organization: (exportRow) => ({ id: exportRow.organizationId }),
  downloadUrl: (exportRow, _args, ctx) =>
    exportRow.status === 'SUCCEEDED' ? ctx.downloads.link(exportRow.id).url : null,
  downloadUrlExpiresAt: (exportRow, _args, ctx) =>
    exportRow.status === 'SUCCEEDED' ? ctx.downloads.link(exportRow.id).expiresAt : null,
};
