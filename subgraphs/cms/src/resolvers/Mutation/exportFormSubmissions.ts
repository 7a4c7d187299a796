import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { exportFormSubmissions as requestExport } from '../../providers/form-exports.ts';

export const exportFormSubmissions: NonNullable<MutationResolvers['exportFormSubmissions']> = (_parent, args, ctx) =>
  requestExport(ctx, args);
