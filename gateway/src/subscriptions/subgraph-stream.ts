import { claimsHeader, encodeClaims, signRequest, signatureHeader, type Claims } from '@token-nexus/shared';
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-sse';

/**
 * Opens a subscription on the subgraph that owns it: graphql-sse's client over one signed
 * POST per subscription (the same signed claims as every request, so the subgraph
 * authorizes it itself). `return()` on the iterator closes the stream; the subgraph then
 * unsubscribes from its events.
 */
export function subgraphStream(options: {
  url: string;
  signingSecret: string;
  claims: Claims;
  query: string;
  variables: Record<string, unknown>;
}): AsyncIterableIterator<ExecutionResult> {
  const encodedClaims = encodeClaims(options.claims);
  const client = createClient({
    url: options.url,
    singleConnection: false,
    retryAttempts: 0,
    fetchFn: (input: string | URL, init: RequestInit = {}) => {
      const body = typeof init.body === 'string' ? init.body : '';
      return fetch(input, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          [claimsHeader]: encodedClaims,
          [signatureHeader]: signRequest(options.signingSecret, encodedClaims, body),
          'x-request-id': options.claims.requestId,
        },
      });
    },
  });
  const events = client.iterate({ query: options.query, variables: options.variables });
  const close = events.return?.bind(events);
  events.return = async (value?: unknown) => {
    const result = close ? await close(value) : { done: true as const, value: undefined };
    client.dispose();
    return result;
  };
  return events as AsyncIterableIterator<ExecutionResult>;
}
