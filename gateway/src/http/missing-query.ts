import type { IncomingMessage } from 'node:http';
import { sendGraphQLError } from '@token-nexus/shared';
import type { RouteRequest } from './router.ts';

/**
 * What a client that sent nothing to run is told: the two ways to send an operation.
 * A GET needs a header browsers cannot send across sites (Apollo's CSRF prevention).
 */
export const missingQueryMessage =
  'This request has no GraphQL query. Send one in a POST with the header ' +
  'content-type: application/json and the body {"query": "{ me { id } }"}, ' +
  'or in a GET as /graphql?query={me{id}} with the header apollo-require-preflight: true.';

/**
 * Whether a request is a GET with nothing to run: no `query` and no `extensions` (an
 * automatic persisted query sends only its hash there, which Apollo resolves).
 */
export function lacksQuery(request: IncomingMessage): boolean {
  if (request.method !== 'GET') return false;
  const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
  return !params.has('query') && !params.has('extensions');
}

/** Answers 400 BAD_USER_INPUT saying how to send a query (instead of Apollo's CSRF refusal). */
export function answerMissingQuery({ response, requestId, log }: RouteRequest): void {
  log.error = { code: 'BAD_USER_INPUT', message: 'no query' };
  sendGraphQLError(response, 'BAD_USER_INPUT', missingQueryMessage, { requestId }, 400);
}
