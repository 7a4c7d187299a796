import type { ServerResponse } from 'node:http';
import { readBody, sendGraphQLError, type Actor } from '@token-nexus/shared';
import { clientAddress } from '../http/client-address.ts';
import type { Route } from '../http/router.ts';
import type { createSseEndpoint } from './sse-endpoint.ts';

/**
 * `POST /graphql/stream`: a subscription as Server-Sent Events (graphql-sse). `close()`
 * ends the streams still open, for a shutdown.
 */
export function sseRoute(options: {
  serveStream: ReturnType<typeof createSseEndpoint>;
  authenticate: (authorization: string | undefined) => Promise<Actor>;
  bodyLimitBytes: number;
  trustedProxyHops: number;
}): Route & { close(): number } {
  const openStreams = new Set<ServerResponse>();
  return {
    matches: (path) => path === '/graphql/stream',
    handle: async ({ request, response, requestId }) => {
      if (request.method !== 'POST') {
        sendGraphQLError(response, 'BAD_USER_INPUT', 'Use POST.', { requestId }, 405);
        return;
      }
      const body = await readBody(request, options.bodyLimitBytes);
      const actor = await options.authenticate(request.headers.authorization);
      const userAgent = request.headers['user-agent'];
      openStreams.add(response);
      try {
        await options.serveStream(request, response, body.toString('utf8'), {
          actor,
          clientIp: clientAddress(request, options.trustedProxyHops),
          userAgent: userAgent ? userAgent.slice(0, 512) : null,
        });
      } finally {
        openStreams.delete(response);
      }
    },
    /** Ends the streams still open; answers how many there were. */
    close: () => {
      const open = openStreams.size;
      for (const stream of openStreams) stream.end();
      return open;
    },
  };
}
