import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { auditReport as report } from '../../providers/report.ts';

export const auditReport: NonNullable<QueryResolvers['auditReport']> = (_parent, args, ctx) =>
  report(ctx, args);
