import { GraphQLError, parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { asTokenLimitError, maxTokensParseOptions } from './max-tokens.ts';
import { operationLimitOf } from './operation-limit-error.ts';

/** The error graphql-js's parser throws for `query` under the limit, or null when it parses. */
function parseError(query: string, maxTokens: number): GraphQLError | null {
  try {
    parse(query, maxTokensParseOptions(maxTokens));
    return null;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe('the token limit', () => {
  // `{ me { id } }` is 6 tokens: { me { id } }
  test('parses a document of exactly the allowed tokens and refuses one more', () => {
    expect(parseError('{ me { id } }', 6)).toBeNull();
    expect(parseError('{ me { id } }', 5)).toBeInstanceOf(GraphQLError);
  });

  test('does not count comments', () => {
    expect(parseError(`{ me { id } } # ${'padding '.repeat(100)}`, 6)).toBeNull();
  });

  test("recognises the parser's refusal and restates it as a MAX_TOKENS refusal", () => {
    const refusal = asTokenLimitError(parseError('{ me { id } }', 5)!);
    expect(refusal?.message).toBe('The operation has too many tokens: MAX_TOKENS allows 5.');
    expect(operationLimitOf(refusal!)).toBe('MAX_TOKENS');
  });

  test('leaves every other syntax error alone', () => {
    expect(asTokenLimitError(parseError('{ me { id ', 100)!)).toBeNull();
  });
});
