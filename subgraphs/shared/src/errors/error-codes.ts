/**
 * The `extensions.code` values of this API's own errors. Add one only when a client must
 * act differently on it, and document it in the schema's `ErrorCode` enum.
 */
export const errorCodes = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  /** A budget for the period is spent (the AI monthly token quota): waiting minutes will not help. */
  'QUOTA_EXCEEDED',
  /** The feature needs setting up first (an AI provider); the message says how. */
  'NOT_CONFIGURED',
  /** Something the API depends on outside the platform (a chain's RPC endpoints) does not answer now: try again later. */
  'UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * Apollo's automatic persisted query protocol: clients (Apollo Client's link, for one)
 * react to these exact codes, so they pass as they are.
 */
export const persistedQueryCodes = ['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'] as const;

/**
 * Every `extensions.code` a response can carry. The schema documents each of them (the
 * `ErrorCode` enum of subgraphs/shared/schema/errors.graphql; a test keeps the two equal).
 */
export const returnedErrorCodes: readonly string[] = [...errorCodes, ...persistedQueryCodes];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** HTTP status for an error that ends a whole request before GraphQL execution. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'BAD_USER_INPUT':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'RATE_LIMITED':
    case 'QUOTA_EXCEEDED':
      return 429;
    case 'NOT_CONFIGURED':
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return assertUnreachable(code);
  }
}

/** Makes the compiler prove a switch handles every case. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
