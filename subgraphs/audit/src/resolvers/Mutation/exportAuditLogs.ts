import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { requestExport } from '../../providers/exports.ts';

export const exportAuditLogs: NonNullable<MutationResolvers['exportAuditLogs']> = (
  _parent,
  args,
  ctx,
) => requestExport(ctx, args);
