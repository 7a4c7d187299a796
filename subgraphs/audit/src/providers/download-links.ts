import { createSignedDownloadLinks, type DownloadSigner } from '@token-nexus/shared';

export type { DownloadSigner, LinkVerdict } from '@token-nexus/shared';

/** How long a download link works. Ask `auditExport` again for a fresh one. */
export const downloadLinkLifetimeMs = 15 * 60 * 1000;

/** The path, on the API's origin, under which the gateway serves export downloads. */
export const downloadPathPrefix = '/downloads/audit-exports/';

/** Signs short-lived download links for audit exports (see createSignedDownloadLinks). */
export function createDownloadSigner(signingSecret: string): DownloadSigner {
  return createSignedDownloadLinks({
    signingSecret,
    purpose: 'audit-export-download:v1',
    pathPrefix: downloadPathPrefix,
    lifetimeMs: downloadLinkLifetimeMs,
  });
}
