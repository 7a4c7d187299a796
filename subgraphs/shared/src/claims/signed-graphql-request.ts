import type { Claims } from './claims.ts';
import { signedClaimsHeaders } from './sign-claims.ts';

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Sends a GraphQL request to another subgraph on behalf of the same caller: the claims
 * the gateway signed for this request, signed again by us with the shared secret, so the
 * other subgraph applies its own rules to the same identity (it can never see more than
 * the caller could).
 */
export async function signedGraphQLRequest<TData>(options: {
  url: string;
  signingSecret: string;
  claims: Claims;
  query: string;
  variables?: Record<string, unknown>;
  timeoutMs?: number;
}): Promise<GraphQLResult<TData>> {
  const body = JSON.stringify({ query: options.query, variables: options.variables ?? {} });
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedClaimsHeaders(options.signingSecret, options.claims, body),
      'x-request-id': options.claims.requestId,
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
  if (!response.ok && response.status !== 400) {
    throw new Error(`${options.url} answered ${response.status}`);
  }
  return (await response.json()) as GraphQLResult<TData>;
}
