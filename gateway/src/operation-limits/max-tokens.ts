import type { GraphQLError, ParseOptions } from 'graphql';
import { operationLimitError } from './operation-limit-error.ts';

/**
 * Parser options that refuse a document of more than `maxTokens` lexical tokens (names,
 * punctuation, values; comments are not tokens). graphql-js's parser counts as it reads and
 * stops at the first token past the limit, so an enormous document is never turned into an
 * AST, and Apollo answers the refusal as a syntax error: 400, for that operation only.
 *
 * graphql-armor's token limit is not used: its Apollo plugin throws from `parsingDidStart`,
 * which Apollo treats as an unexpected failure (HTTP 500, and the whole batch fails).
 */
export function maxTokensParseOptions(maxTokens: number): ParseOptions {
  return { maxTokens };
}

/**
 * graphql-js's message when it stops at the limit (its wording, typo included; the unit
 * test fails if an upgrade changes it, rather than this silently stopping to match).
 */
const parserTokenLimit = /Document contains more (?:that|than) (\d+) tokens\. Parsing aborted\./;

/**
 * Our refusal for a parser error that is the token limit (message naming MAX_TOKENS and
 * the allowed count, marked as a limit like every other), or null for any other error.
 */
export function asTokenLimitError(error: { message: string }): GraphQLError | null {
  const match = parserTokenLimit.exec(error.message);
  if (!match) return null;
  return operationLimitError('MAX_TOKENS', Number(match[1]), 'The operation has too many tokens');
}
