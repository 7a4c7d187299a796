import { formatErrorForClient } from '@token-nexus/shared';
import type { GraphQLFormattedError } from 'graphql';
import { asTokenLimitError } from '../operation-limits/max-tokens.ts';
import {
  operationLimitOf,
  tooComplexMessage,
  withoutLimitMarker,
} from '../operation-limits/operation-limit-error.ts';
import { withoutSuggestions } from './without-suggestions.ts';

/**
 * The gateway's Apollo `formatError`: the shared `formatErrorForClient` (codes, masking),
 * and before it what only the gateway's clients need:
 * - an operation refused by a limit is BAD_USER_INPUT; its message names the limit and the
 *   allowed value, except in production, where every such refusal reads the same
 *   (`tooComplexMessage`) and the log alone keeps the reason;
 * - in production, "Did you mean …?" guesses are removed from every message. Validation
 *   errors are produced without them (Apollo's `validationOptions.hideSuggestions`); this
 *   catches the rest, such as the gateway's own check of variables against enums.
 */
export function gatewayErrorFormatter(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const refusal = operationLimitOf(formatted) ? formatted : asTokenLimitError(formatted);
    if (refusal) {
      return formatErrorForClient({
        message: production ? tooComplexMessage : refusal.message,
        extensions: { ...withoutLimitMarker(formatted.extensions), code: 'BAD_USER_INPUT' },
      });
    }
    const forClient = formatErrorForClient(formatted);
    return production ? { ...forClient, message: withoutSuggestions(forClient.message) } : forClient;
  };
}
