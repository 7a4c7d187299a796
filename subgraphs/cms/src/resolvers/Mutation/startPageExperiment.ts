import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { startPageExperiment as start } from '../../providers/page-experiments.ts';

export const startPageExperiment: NonNullable<MutationResolvers['startPageExperiment']> = (_parent, args, ctx) =>
  start(ctx, args);
