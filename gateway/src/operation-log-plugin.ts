import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.ts';
import { asTokenLimitError } from './operation-limits/max-tokens.ts';
import { operationLimitOf } from './operation-limits/operation-limit-error.ts';

/**
 * Notes, for the request's log line, the operation's name, how many errors were answered
 * and the first of them with its code and real message (and the limit, when one refused
 * the operation). It sees the errors before the error formatter hides anything from
 * clients, so in production the log keeps the reason the client is not told.
 */
export function operationLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const log = contextValue.log;
      return {
        async didResolveOperation({ operationName }) {
          log.operationName = operationName ?? null;
        },
        async didEncounterErrors({ errors }) {
          const [first] = errors;
          // In a batch the operations share the line: the first error seen is kept.
          if (!first || log.error) return;
          const limitError = operationLimitOf(first) ? first : asTokenLimitError(first);
          // An error raised outside execution (a gateway stopping with requests in flight)
          // may come without extensions at all.
          log.error = {
            code: String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            message: (limitError ?? first).message,
          };
          if (limitError) log.limit = operationLimitOf(limitError) ?? undefined;
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') {
            log.errors = (log.errors ?? 0) + (response.body.singleResult.errors?.length ?? 0);
          }
        },
      };
    },
  };
}
