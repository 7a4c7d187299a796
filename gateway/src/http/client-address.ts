import type { IncomingMessage } from 'node:http';

/**
 * The client's IP address. Behind `trustedProxyHops` proxies that each append to
 * X-Forwarded-For, the client is that many entries from the right; entries further left
 * are whatever the client chose to send and are ignored.
 */
export function clientAddress(request: IncomingMessage, trustedProxyHops: number): string | null {
  if (trustedProxyHops > 0) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    const candidate = hops[hops.length - trustedProxyHops];
    if (candidate) return candidate.slice(0, 64);
  }
  return request.socket.remoteAddress ?? null;
}
