import { isExpectedErrorCode } from '@token-nexus/shared';

/**
 * How the gateway answered an operation: `ok` without errors; `error` with errors the
 * caller can act on or expected outcomes (BAD_USER_INPUT, FORBIDDEN, RATE_LIMITED,
 * NOT_CONFIGURED…); `failure` with a server-side failure. Only failures count against
 * availability.
 */
export type OperationOutcome = 'ok' | 'error' | 'failure';

/**
 * The outcome of a response from its errors, as the client gets them. A failure is an
 * error whose code is not one the client can act on: INTERNAL_SERVER_ERROR, which is what
 * the gateway answers for an unexpected error and for a subgraph that is unreachable,
 * fails or times out (their errors carry no code of ours and are masked to it).
 */
export function operationOutcome(errors: readonly { extensions?: Readonly<Record<string, unknown>> }[] | undefined): OperationOutcome {
  if (!errors || errors.length === 0) return 'ok';
  return errors.some((error) => !isExpectedErrorCode(error.extensions?.code)) ? 'failure' : 'error';
}
