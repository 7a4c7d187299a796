import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a download link works. Ask `auditExport` again for a fresh one. */
export const downloadLinkLifetimeMs = 15 * 60 * 1000;

/** The path, on the API's origin, under which the gateway serves export downloads. */
export const downloadPathPrefix = '/downloads/audit-exports/';

/** What checking a link found: only a link whose signature does not match was tampered with or forged. */
export type LinkVerdict = 'valid' | 'expired' | 'forged';

export interface DownloadSigner {
  link(exportId: string, now?: number): { url: string; expiresAt: Date };
  verify(exportId: string, expires: string | null, signature: string | null, now?: number): LinkVerdict;
}

/**
 * Signs short-lived download links for exports. The key is derived from the shared
 * signing secret for this one purpose, so a link's signature can never pass for a
 * gateway signature or the other way round. A link names one export and an expiry; any
 * change to either invalidates it.
 */
export function createDownloadSigner(signingSecret: string): DownloadSigner {
  const key = createHmac('sha256', signingSecret).update('audit-export-download:v1').digest();
  const mac = (exportId: string, expires: string) =>
    createHmac('sha256', key).update(`${exportId}.${expires}`).digest('base64url');
  return {
    link(exportId, now = Date.now()) {
      const expiresAt = new Date(now + downloadLinkLifetimeMs);
      const expires = String(expiresAt.getTime());
      const query = new URLSearchParams({ expires, signature: mac(exportId, expires) });
      return { url: `${downloadPathPrefix}${exportId}?${query}`, expiresAt };
    },
    verify(exportId, expires, signature, now = Date.now()) {
      if (!expires || !signature || !/^\d{1,15}$/.test(expires)) return 'forged';
      const expected = Buffer.from(mac(exportId, expires));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return Number(expires) <= now ? 'expired' : 'valid';
    },
  };
}
