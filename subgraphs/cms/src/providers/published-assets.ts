import { mediaPublicGrant } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { MediaAssetReference, PublishedPageModel } from '../models.ts';
import { componentNamesIn } from '../validation/document-props.ts';
import { mediaReferencesIn } from '../validation/media-references.ts';
import { isMediaId } from '../validation/media-schema.ts';
import type { PageDocument } from '../validation/page-document.ts';

/**
 * The media a published page shows: the ids its live revision's `media` props name (read
 * with today's components, as the page is rendered today), once each, in document order,
 * keeping those the media subgraph says are READY. A deleted asset is left out rather than
 * failing the page: deleting is refused while a published page uses an asset, but a
 * component's schema may have made a prop `media` since the revision was published.
 *
 * Each is handed to media with the grant that lets anyone, signed in or not, see it: the
 * cms vouches that a live page shows it (see mediaPublicGrant).
 */
export async function publishedAssets(ctx: CmsContext, { page, revision }: PublishedPageModel): Promise<MediaAssetReference[]> {
  // Stored revisions were checked (and completed) by parsePageDocument when published.
  const document = revision.document as unknown as PageDocument;
  const names = componentNamesIn(document);
  const found = await ctx.loaders.componentByName.loadMany(names.map((name) => ({ organizationId: page.organizationId, name })));
  const components = new Map<string, { propsSchema: unknown }>();
  for (const component of found) {
    if (component instanceof Error) throw component;
    if (component) components.set(component.name, component);
  }
  // Today's schema may not be the one the revision was checked against: only values shaped like ids count.
  const ids = [...new Set(mediaReferencesIn(document, components).map((reference) => reference.id).filter(isMediaId))];
  if (ids.length === 0) return [];
  const ready = await ctx.readyMediaAssets(page.organizationId, ids);
  return ids
    .filter((id) => ready.has(id))
    .map((id) => ({ __typename: 'MediaAsset' as const, id, publicGrant: mediaPublicGrant(ctx.signingSecret, id) }));
}
