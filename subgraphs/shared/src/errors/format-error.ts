import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode, persistedQueryCodes as persistedQueryCodeList } from './error-codes.ts';

/** Apollo Server's own codes for a request the client got wrong before execution. */
const clientRequestCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

const persistedQueryCodes = new Set<string>(persistedQueryCodeList);

/** Extensions that must never leave the service (they reveal internals). */
const internalExtensions = ['stacktrace', 'exception', 'serviceName', 'originalError'];

export const maskedMessage = 'Internal server error';

/** True for errors that are the client's to fix or expected outcomes, not our faults. */
export function isExpectedErrorCode(code: unknown): boolean {
  if (isErrorCode(code)) return code !== 'INTERNAL_SERVER_ERROR';
  return typeof code === 'string' && (clientRequestCodes.has(code) || persistedQueryCodes.has(code));
}

/**
 * Apollo `formatError`: decides what the client sees of an error.
 * - our codes (ApiError, or a subgraph's error relayed by the gateway) pass, minus any
 *   internal extension;
 * - Apollo's parse/validation/request errors become BAD_USER_INPUT with their message;
 * - everything else is masked as INTERNAL_SERVER_ERROR: no message, stack, SQL or names.
 *   The original is logged with the request id by the error-logging plugin.
 */
export function formatErrorForClient(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
    return { ...formatted, extensions: withoutInternals(formatted.extensions) };
  }
  if (typeof code === 'string' && clientRequestCodes.has(code)) {
    return { ...formatted, extensions: { ...withoutInternals(formatted.extensions), code: 'BAD_USER_INPUT' } };
  }
  if (typeof code === 'string' && persistedQueryCodes.has(code)) {
    return { message: formatted.message, extensions: { code } };
  }
  return {
    message: maskedMessage,
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function withoutInternals(extensions: Record<string, unknown> | undefined) {
  const safe = { ...extensions };
  for (const name of internalExtensions) delete safe[name];
  return safe;
}
