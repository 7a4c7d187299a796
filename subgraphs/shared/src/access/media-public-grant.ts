import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The proof that a media asset may be shown to anyone: the cms subgraph makes it for the
 * assets a published page uses and hands it to the media subgraph in the entity's key
 * (`MediaAsset @key(fields: "id publicGrant")`, the field @inaccessible), signed with the
 * secret every service of the graph shares. Nobody else can make one, so through
 * `_entities` an asset of another organization stays invisible unless a published page of
 * that organization shows it.
 */
export function mediaPublicGrant(signingSecret: string, assetId: string): string {
  return createHmac('sha256', signingSecret).update(`media-public:v1:${assetId}`).digest('base64url');
}

/** Whether `grant` is the one for this asset (constant-time). */
export function isMediaPublicGrant(signingSecret: string, assetId: string, grant: string): boolean {
  const expected = Buffer.from(mediaPublicGrant(signingSecret, assetId));
  const given = Buffer.from(grant);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
