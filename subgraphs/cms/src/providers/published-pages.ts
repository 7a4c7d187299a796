import { addCacheTags, cacheTag, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { PublishedPageModel } from '../models.ts';
import { visitorId as visitorIdSchema } from '../validation/experiment-input.ts';
import { locale as localeSchema, pageSlug } from '../validation/inputs.ts';
import { showExperimentVariant } from './experiment-variants.ts';
import { findPublishedTranslation } from './published-translation.ts';

/**
 * What the public site shows at an address, for anyone: the latest revision of a
 * PUBLISHED page of an active organization, or null. It reads only revisions for content
 * (never the draft), and it answers null alike for an unknown organization, an inactive
 * one, an unknown slug and a page that is not live, so it reveals nothing else either.
 * Where the address has several published translations, `locale` chooses among them (see
 * published-translation.ts); a `locale` that is not a BCP 47 tag is BAD_USER_INPUT. With a
 * `visitorId`, a translation that runs an experiment shows the visitor's variant.
 */
export async function findPublishedPage(
  ctx: CmsContext,
  args: { orgSlug: string; slug: string; locale?: string | null; visitorId?: string | null },
): Promise<PublishedPageModel | null> {
  const requestedLocale = args.locale == null ? null : parseInput(localeSchema, args.locale, 'locale');
  const visitorId = args.visitorId == null ? null : parseInput(visitorIdSchema, args.visitorId, 'visitorId');
  if (!pageSlug.safeParse(args.slug).success) return null;
  const organization = await ctx.publicOrganization(args.orgSlug);
  if (!organization) return null;
  // Whatever is found (or not) in the organization goes stale with its pages' changes, and
  // with its site settings, which decide which translation is served.
  addCacheTags(ctx, cacheTag.inOrganization('PublishedPage', organization.id), cacheTag.inOrganization('SiteSettings', organization.id));
  const translation = await findPublishedTranslation(ctx.prisma, organization.id, args.slug, requestedLocale);
  if (!translation) return null;
  const revision = await ctx.loaders.latestRevisionByPageId.load(translation.page.id);
  if (!revision) return null;
  const shown = { page: translation.page, revision, requestedLocale, availableLocales: translation.availableLocales };
  return showExperimentVariant(ctx, shown, visitorId);
}
