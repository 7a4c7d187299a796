import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

/** The part of `window.location` the endpoints are derived from. */
export type PageLocation = Pick<Location, 'protocol' | 'host' | 'pathname'>;

/**
 * The GraphQL endpoint is the URL this page was served from (the gateway serves both at
 * /graphql): the same path over HTTP, and over WebSocket for subscriptions.
 */
export function endpointsOf(location: PageLocation): { http: string; ws: string } {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: location.pathname, ws: `${scheme}//${location.host}${location.pathname}` };
}

/**
 * Queries and mutations go over HTTP, subscriptions over graphql-ws. The headers editor's
 * headers go with each HTTP request and, for a subscription, as the `connection_init`
 * payload, where the gateway reads `Authorization`.
 */
export function createExplorerFetcher(location: PageLocation): Fetcher {
  const { http, ws } = endpointsOf(location);
  // Plain JSON answers: the graph sends no incremental (multipart) responses.
  return createGraphiQLFetcher({ url: http, subscriptionUrl: ws, enableIncrementalDelivery: false });
}
