import { addCacheTags, cacheTag, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { PublishedPageModel } from '../models.ts';
import { visitorId as visitorIdSchema } from '../validation/experiment-input.ts';
import { pageSlug } from '../validation/inputs.ts';
import { showExperimentVariant } from './experiment-variants.ts';

/**
 * What the public site shows at an address, for anyone: the latest revision of a
 * PUBLISHED page of an active organization, or null. It reads only revisions for content
 * (never the draft), and it answers null alike for an unknown organization, an inactive
 * one, an unknown slug and a page that is not live, so it reveals nothing else either.
 * With a `visitorId`, a page that runs an experiment shows the visitor's variant.
 */
export async function findPublishedPage(
  ctx: CmsContext,
  args: { orgSlug: string; slug: string; visitorId?: string | null },
): Promise<PublishedPageModel | null> {
  const visitorId = args.visitorId == null ? null : parseInput(visitorIdSchema, args.visitorId, 'visitorId');
  if (!pageSlug.safeParse(args.slug).success) return null;
  const organization = await ctx.publicOrganization(args.orgSlug);
  if (!organization) return null;
  // Whatever is found (or not) in the organization goes stale with its pages' changes.
  addCacheTags(ctx, cacheTag.inOrganization('PublishedPage', organization.id));
  const page = await ctx.prisma.page.findUnique({
    where: { organizationId_slug: { organizationId: organization.id, slug: args.slug } },
  });
  if (!page || page.status !== 'PUBLISHED') return null;
  const revision = await ctx.loaders.latestRevisionByPageId.load(page.id);
  return revision ? showExperimentVariant(ctx, { page, revision }, visitorId) : null;
}
