/**
 * The explorer page's Content-Security-Policy: everything from the gateway's own origin
 * and nothing from anywhere else (no CDN, no analytics). Beyond 'self' only what the
 * bundle needs: inline styles (Monaco and GraphiQL's UI set styles at run time) and
 * `data:` fonts and images (the stylesheets embed their fonts, the page its empty icon).
 * `connect-src 'self'` covers the WebSocket to the same host in current browsers.
 */
export const explorerContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
