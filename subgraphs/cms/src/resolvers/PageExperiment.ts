import type { PageExperimentResolvers } from '../__generated__/resolvers-types.ts';
import { controlTitle } from '../providers/experiment-control-title.ts';
import { findExperimentById } from '../providers/page-experiments.ts';
import { controlVariant, storedGoal } from '../validation/experiment-input.ts';

export const PageExperiment: PageExperimentResolvers = {
  /** Analytics extends experiments with their results; the same read rule as `pageExperiment`. */
  __resolveReference: (reference, ctx) => findExperimentById(ctx, reference.id),
  goal: (experiment) => storedGoal.parse(experiment.goal),
  variants: async (experiment, _args, ctx) => {
    const hasControl = experiment.variants.some((variant) => variant.key === controlVariant);
    const control = hasControl ? await controlTitle(ctx, experiment) : '';
    return experiment.variants.map((variant) => ({
      key: variant.key,
      weight: variant.weight,
      title: variant.key === controlVariant ? control : variant.title!,
    }));
  },
};
