import type { IncomingMessage } from 'node:http';

/**
 * Whether a request is a browser opening a page: a GET whose Accept names `text/html`
 * (browsers send it first when navigating; GraphQL clients ask for JSON).
 */
export function asksForHtml(request: IncomingMessage): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').toLowerCase().includes('text/html');
}
