import type { CmsContext } from '../context.ts';
import type { PageExperimentModel } from '../models.ts';

/**
 * The title the `control` variant shows: the live revision's while the experiment runs;
 * once it has ended, that of the last revision published before the end (a variant
 * promoted at the end is published at the end's instant, so it is not control's).
 */
export async function controlTitle(ctx: CmsContext, experiment: PageExperimentModel): Promise<string> {
  if (experiment.endedAt === null) {
    const live = await ctx.loaders.latestRevisionByPageId.load(experiment.pageId);
    if (live) return live.title;
  }
  const revision = await ctx.prisma.pageRevision.findFirst({
    where: { pageId: experiment.pageId, ...(experiment.endedAt ? { publishedAt: { lt: experiment.endedAt } } : {}) },
    orderBy: { number: 'desc' },
    select: { title: true },
  });
  // A page always has a revision while it is published, and experiments start only then.
  return revision?.title ?? '';
}
