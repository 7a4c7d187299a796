import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { isExpectedErrorCode } from './format-error.ts';

export interface RequestScopedContext extends BaseContext {
  requestId: string;
}

/**
 * Logs every unexpected error with the request id (the client only sees a masked
 * message), and stamps the request id on every error the client receives, so a report
 * from a user can be matched with the log line.
 */
export function errorLoggingPlugin<TContext extends RequestScopedContext>(
  logger: Logger,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (isExpectedErrorCode(code)) continue;
            logger.error(
              {
                requestId: contextValue.requestId,
                operationName,
                code,
                path: error.path,
                err: error.originalError ?? error,
              },
              'unexpected error in GraphQL request',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}
