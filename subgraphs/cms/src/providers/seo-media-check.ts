import { BadUserInputError } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import type { SeoInput } from '../validation/inputs.ts';

/**
 * Refuses SEO whose `imageId`, `openGraph.imageId` or `twitter.imageId` is not a READY asset
 * of the organization, as `media` props of a document are refused (document-check.ts): the
 * same answer whether it does not exist, is not READY or is another organization's, and one
 * question to the media subgraph for all of them. `field` is where the SEO object was given.
 */
export async function assertSeoMediaReady(ctx: CmsContext, organizationId: string, seo: SeoInput | undefined | null, field: string): Promise<void> {
  if (!seo) return;
  const references = [
    { field: `${field}.imageId`, id: seo.imageId },
    { field: `${field}.openGraph.imageId`, id: seo.openGraph?.imageId },
    { field: `${field}.twitter.imageId`, id: seo.twitter?.imageId },
  ].filter((reference): reference is { field: string; id: string } => typeof reference.id === 'string');
  if (references.length === 0) return;
  const ready = await ctx.readyMediaAssets(organizationId, references.map((reference) => reference.id));
  const missing = references.find((reference) => !ready.has(reference.id));
  if (missing) {
    throw new BadUserInputError(`${missing.field}: must be a READY media asset of this organization`, { field: missing.field });
  }
}
