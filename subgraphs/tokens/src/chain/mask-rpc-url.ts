/**
 * An RPC URL as it may be shown or logged: scheme and host (with port) only. Providers put
 * API keys in the path (`/v2/<key>`), the query (`?apikey=`) or the credentials, so all of
 * those are cut; `/…` says something was.
 */
export function maskRpcUrl(rpcUrl: string): string {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    return '(invalid URL)';
  }
  const hidden = url.username !== '' || url.password !== '' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '';
  return `${url.protocol}//${url.host}${hidden ? '/…' : ''}`;
}
