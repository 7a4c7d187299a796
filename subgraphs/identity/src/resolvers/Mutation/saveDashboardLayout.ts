import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { saveDashboardLayout as save } from '../../providers/dashboard-layouts.ts';

export const saveDashboardLayout: NonNullable<MutationResolvers['saveDashboardLayout']> = (
  _parent,
  args,
  ctx,
) => save(ctx, args);
