import { assignVariant, type WeightedVariant } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { PageExperimentModel, PublishedPageModel } from '../models.ts';
import { controlVariant } from '../validation/experiment-input.ts';

function weights(experiment: PageExperimentModel): WeightedVariant[] {
  return experiment.variants.map((variant) => ({ key: variant.key, weight: variant.weight }));
}

/**
 * What a published page shows one visitor while it runs an experiment: the variant the
 * shared assignment gives them (stable per experiment and visitor), whose title and
 * document take the live revision's place; `control` keeps the revision. Without a
 * running experiment or without a visitor id, the page is the revision and `variant` null.
 * The experiment itself (keys, weights, goal; never other variants' content) is always
 * given, so that analytics can count the visitor's exposure to the same variant.
 */
export async function showExperimentVariant(
  ctx: CmsContext,
  published: PublishedPageModel,
  visitorId: string | null,
): Promise<PublishedPageModel> {
  const experiment = await ctx.loaders.runningExperimentByPageId.load(published.page.id);
  if (!experiment) return { ...published, variant: null, experiment: null };
  if (visitorId === null) return { ...published, variant: null, experiment };
  const key = assignVariant(experiment.id, visitorId, weights(experiment));
  const variant = experiment.variants.find((candidate) => candidate.key === key)!;
  if (key === controlVariant) return { ...published, variant: key, experiment };
  const revision = { ...published.revision, title: variant.title!, document: variant.document! };
  return { ...published, revision, variant: key, experiment };
}
