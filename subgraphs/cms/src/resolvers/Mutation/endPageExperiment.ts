import type { MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { endPageExperiment as end } from '../../providers/page-experiments.ts';

export const endPageExperiment: NonNullable<MutationResolvers['endPageExperiment']> = (_parent, args, ctx) =>
  end(ctx, args);
