import { signedClaimsHeaders, type Claims } from '@token-nexus/shared';
import { z } from 'zod';

/** Where the media subgraph answers which assets are READY (its providers/ready-assets-route.ts). */
export const readyAssetsPath = '/internal/media/ready-assets';

/** Where the media subgraph gives public URLs of READY assets (its providers/public-urls-route.ts). */
export const publicUrlsPath = '/internal/media/public-urls';

/** The most ids the media route takes in one request. */
const idsPerRequest = 500;

const answer = z.object({ ready: z.array(z.string()) });
const urlsAnswer = z.object({ urls: z.record(z.string(), z.string()) });

/** Asks the media subgraph which assets may be shown. */
export interface ReadyMediaAssets {
  /**
   * Which of `ids` are READY, undeleted assets of the organization. Throws when media does
   * not answer: a page is never stored, nor its assets shown, on a guess.
   */
  readyAssets(claims: Claims, organizationId: string, ids: readonly string[]): Promise<Set<string>>;
  /**
   * The public URL of each of `ids` (at most 100) that is a READY, undeleted asset of the
   * organization; only for what a published page shows. Throws when media does not answer.
   */
  publicUrls(claims: Claims, organizationId: string, ids: readonly string[]): Promise<Map<string, string>>;
}

/**
 * The media subgraph's answer on READY assets, on the signed internal route every service
 * of the graph shares, signed with the caller's claims (as media signs its questions to
 * the cms). `mediaUrl` is read on each call: when the whole graph runs in one process,
 * media listens only after the cms started.
 */
export function createReadyMediaAssets(deps: { mediaUrl: () => string; signingSecret: string }): ReadyMediaAssets {
  const post = async (path: string, claims: Claims, organizationId: string, ids: readonly string[]): Promise<unknown> => {
    const body = JSON.stringify({ organizationId, ids });
    const response = await fetch(new URL(path, deps.mediaUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedClaimsHeaders(deps.signingSecret, claims, body) },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`media answered ${response.status} to ${path}`);
    return response.json();
  };
  const ask = async (claims: Claims, organizationId: string, ids: string[]): Promise<string[]> =>
    answer.parse(await post(readyAssetsPath, claims, organizationId, ids)).ready;
  return {
    async readyAssets(claims, organizationId, ids) {
      const distinct = [...new Set(ids)];
      const ready = new Set<string>();
      // One request for any page a person builds; a page naming more assets than the
      // route takes at once is asked about in turns.
      for (let start = 0; start < distinct.length; start += idsPerRequest) {
        for (const id of await ask(claims, organizationId, distinct.slice(start, start + idsPerRequest))) ready.add(id);
      }
      return ready;
    },
    async publicUrls(claims, organizationId, ids) {
      if (ids.length === 0) return new Map();
      const { urls } = urlsAnswer.parse(await post(publicUrlsPath, claims, organizationId, [...new Set(ids)]));
      return new Map(Object.entries(urls));
    },
  };
}
