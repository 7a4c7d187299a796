import { ApiError, BodyTooLargeError, isErrorCode, sendGraphQLError } from '@token-nexus/shared';
import type { RouteRequest } from './router.ts';

/**
 * Answers a request whose route failed: a body over the limit is BAD_USER_INPUT (413), an
 * ApiError keeps its code, anything else is logged and masked. A response already under
 * way can only be cut.
 */
export function answerFailure(error: unknown, { response, requestId, logger, log }: RouteRequest, production: boolean): void {
  if (response.headersSent) {
    response.destroy();
  } else if (error instanceof BodyTooLargeError) {
    const reason = `The request body is too large: BODY_LIMIT_BYTES allows ${error.limitBytes} bytes.`;
    log.error = { code: 'BAD_USER_INPUT', message: reason };
    log.limit = 'BODY_LIMIT_BYTES';
    sendGraphQLError(response, 'BAD_USER_INPUT', production ? 'The request body is too large.' : reason, { requestId }, 413);
  } else if (error instanceof ApiError && isErrorCode(error.extensions.code)) {
    const code = error.extensions.code;
    log.error = { code, message: error.message };
    if (code === 'UNAUTHENTICATED') response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
    sendGraphQLError(response, code, error.message, { requestId });
  } else {
    logger.error({ err: error }, 'request failed');
    sendGraphQLError(response, 'INTERNAL_SERVER_ERROR', 'Internal server error', { requestId });
  }
}
