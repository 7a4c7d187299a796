import type { PublishedExperimentResolvers } from '../__generated__/resolvers-types.ts';
import { storedGoal } from '../validation/experiment-input.ts';

/** What anyone may know of a running experiment: keys, weights and the goal; never content. */
export const PublishedExperiment: PublishedExperimentResolvers = {
  variants: (experiment) => experiment.variants.map((variant) => ({ key: variant.key, weight: variant.weight })),
  goal: (experiment) => storedGoal.parse(experiment.goal),
};
