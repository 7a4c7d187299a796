import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.ts';

/**
 * Sets the standard rate-limit headers for the tightest limit the request touched:
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the window
 * is clear), `RateLimit-Policy` (`<limit>;w=<window seconds>`), and `Retry-After` when a
 * field was refused. The response itself stays 200: the other fields still resolved.
 */
export function rateLimitHeadersPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const report = contextValue.rateLimit?.report;
          if (!report) return;
          const headers = response.http.headers;
          headers.set('ratelimit-limit', String(report.limit));
          headers.set('ratelimit-remaining', String(report.remaining));
          headers.set('ratelimit-reset', String(report.resetSeconds));
          headers.set('ratelimit-policy', `${report.limit};w=${report.windowSeconds}`);
          if (report.retryAfterSeconds !== null) headers.set('retry-after', String(report.retryAfterSeconds));
        },
      };
    },
  };
}
