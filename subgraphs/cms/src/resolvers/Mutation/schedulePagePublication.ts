import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { schedulePagePublication as schedule } from '../../providers/page-schedule.ts';

export const schedulePagePublication: NonNullable<MutationResolvers['schedulePagePublication']> = (_parent, args, ctx) =>
  schedule(ctx, args);
