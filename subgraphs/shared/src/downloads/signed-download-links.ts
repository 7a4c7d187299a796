import { createHmac, timingSafeEqual } from 'node:crypto';

/** What checking a link found: only a link whose signature does not match was tampered with or forged. */
export type LinkVerdict = 'valid' | 'expired' | 'forged';

export interface DownloadSigner {
  link(id: string, now?: number): { url: string; expiresAt: Date };
  verify(id: string, expires: string | null, signature: string | null, now?: number): LinkVerdict;
}

/**
 * Signs short-lived download links (`<pathPrefix><id>?expires=…&signature=…`) for files a
 * subgraph streams through the gateway's download routes (audit exports, form-submission
 * exports). The key is derived from the shared signing secret for one `purpose`, so a link
 * of one kind can never pass for another kind's, nor for a gateway signature, or the other
 * way round. A link names one id and an expiry; any change to either invalidates it.
 */
export function createSignedDownloadLinks(options: {
  signingSecret: string;
  /** Names the kind of link, e.g. `audit-export-download:v1`. */
  purpose: string;
  /** The path, on the API's origin, under which the gateway serves these downloads. */
  pathPrefix: string;
  lifetimeMs: number;
}): DownloadSigner {
  const key = createHmac('sha256', options.signingSecret).update(options.purpose).digest();
  const mac = (id: string, expires: string) => createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url');
  return {
    link(id, now = Date.now()) {
      const expiresAt = new Date(now + options.lifetimeMs);
      const expires = String(expiresAt.getTime());
      const query = new URLSearchParams({ expires, signature: mac(id, expires) });
      return { url: `${options.pathPrefix}${id}?${query}`, expiresAt };
    },
    verify(id, expires, signature, now = Date.now()) {
      if (!expires || !signature || !/^\d{1,15}$/.test(expires)) return 'forged';
      const expected = Buffer.from(mac(id, expires));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return Number(expires) <= now ? 'expired' : 'valid';
    },
  };
}
