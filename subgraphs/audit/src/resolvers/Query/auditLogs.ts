import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { listEntries } from '../../providers/entries.ts';

export const auditLogs: NonNullable<QueryResolvers['auditLogs']> = (_parent, args, ctx) =>
  listEntries(ctx, args);
