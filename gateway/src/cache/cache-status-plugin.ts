import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

/**
 * Says in a `Cache-Status` header (RFC 9211) how each subgraph fetch of the response was
 * served: hit, fetched and stored, fetched, or bypassed. Outside production only: it
 * tells a developer what the cache did, and would tell an attacker what others read.
 */
export function cacheStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const members = contextValue.cacheStatus;
          if (members?.length) response.http.headers.set('cache-status', members.join(', '));
        },
      };
    },
  };
}
