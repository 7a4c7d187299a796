import { signedClaimsHeaders } from '@token-nexus/shared';
import { z } from 'zod';
import type { MediaContext } from '../context.ts';

/** Where the cms subgraph answers which of its published pages use given assets. */
export const mediaUsagePath = '/internal/media-usage';

const answer = z.object({ pages: z.array(z.object({ id: z.string(), slug: z.string(), assetId: z.string() })) });

/**
 * The published pages of the asset's organization that use it, asked of the cms subgraph
 * (which owns pages) on the signed internal route every service shares. An answer that
 * does not come is an error: deleting an asset a page shows is not a risk to take blind.
 */
export async function publishedPagesUsing(
  ctx: Pick<MediaContext, 'cmsUrl' | 'signingSecret' | 'claims'>,
  asset: { id: string; organizationId: string },
): Promise<{ id: string; slug: string }[]> {
  const body = JSON.stringify({ organizationId: asset.organizationId, assetIds: [asset.id] });
  const response = await fetch(new URL(mediaUsagePath, ctx.cmsUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedClaimsHeaders(ctx.signingSecret, ctx.claims, body) },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`cms answered ${response.status} when asked which pages use a media asset`);
  return answer.parse(await response.json()).pages;
}
