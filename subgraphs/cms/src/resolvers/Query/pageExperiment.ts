import type { QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { findPageExperiment } from '../../providers/page-experiments.ts';

export const pageExperiment: NonNullable<QueryResolvers['pageExperiment']> = (_parent, args, ctx) =>
  findPageExperiment(ctx, args.pageId);
