import type { PageExperimentResolvers } from '../__generated__/resolvers-types.ts';
import { experimentResults } from '../providers/experiment-results.ts';

export const PageExperiment: PageExperimentResolvers = {
  /** The cms owns experiments; here one is its key and the fields `results` requires, as the gateway passes them. */
  __resolveReference: (reference) => reference,
  results: (experiment, _args, ctx) => experimentResults(ctx, experiment),
};
