import type { IncomingMessage } from 'node:http';

/**
 * The gateway's origin as the client reached it. The scheme is `https` only when a trusted
 * proxy (TRUSTED_PROXY_HOPS) says the client used it: the gateway itself speaks plain HTTP.
 */
export function gatewayOrigin(request: IncomingMessage, trustedProxyHops: number): string {
  const forwarded = trustedProxyHops > 0 ? request.headers['x-forwarded-proto'] : undefined;
  // With several proxies each may append; the client's scheme is the first one.
  const scheme = typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return `${scheme}://${request.headers.host ?? 'localhost'}`;
}

/**
 * The URL an organization's public site lives at, without a trailing slash: SITES_BASE_URL
 * with the slug in place of `{orgSlug}`, else the gateway's own `/sites/<orgSlug>`.
 */
export function siteBaseUrl(
  request: IncomingMessage,
  orgSlug: string,
  options: { sitesBaseUrl: string | undefined; trustedProxyHops: number },
): string {
  if (options.sitesBaseUrl) return options.sitesBaseUrl.replaceAll('{orgSlug}', orgSlug).replace(/\/+$/, '');
  return `${gatewayOrigin(request, options.trustedProxyHops)}/sites/${orgSlug}`;
}
