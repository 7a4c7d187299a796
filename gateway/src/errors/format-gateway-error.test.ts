import { parse, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { maxTokensParseOptions } from '../operation-limits/max-tokens.ts';
import { operationLimitError } from '../operation-limits/operation-limit-error.ts';
import { gatewayErrorFormatter } from './format-gateway-error.ts';

const development = gatewayErrorFormatter(false);
const production = gatewayErrorFormatter(true);

/** A limit's refusal as Apollo hands it to `formatError` after a validation rule reported it. */
const depthRefusal: GraphQLFormattedError = {
  ...operationLimitError('MAX_QUERY_DEPTH', 5, 'The operation is nested too deeply').toJSON(),
  extensions: { code: 'GRAPHQL_VALIDATION_FAILED', operationLimit: 'MAX_QUERY_DEPTH' },
};

/** The parser's own refusal at the token limit, as Apollo hands it over. */
function tokenRefusal(): GraphQLFormattedError {
  try {
    parse('{ me { id } }', maxTokensParseOptions(5));
  } catch (error) {
    return { ...(error as GraphQLError).toJSON(), extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
  }
  throw new Error('the parser accepted the document');
}

describe('the gateway error formatter', () => {
  test("outside production, a limit's refusal names the limit and its value, as BAD_USER_INPUT", () => {
    expect(development(depthRefusal)).toEqual({
      message: 'The operation is nested too deeply: MAX_QUERY_DEPTH allows 5.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(development(tokenRefusal())).toEqual({
      message: 'The operation has too many tokens: MAX_TOKENS allows 5.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  test("in production, every limit's refusal reads the same and names nothing", () => {
    for (const refusal of [depthRefusal, tokenRefusal()]) {
      expect(production(refusal)).toEqual({
        message: 'The operation is too complex.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });

  test('in production, removes "Did you mean …?" from any message, and only there', () => {
    const unknownField = {
      message: 'Cannot query field "emial" on type "User". Did you mean "email"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    const badEnum = {
      message:
        'Variable "$role" got invalid value "OWNERR"; Value "OWNERR" does not exist in "Role" enum. Did you mean the enum value "OWNER"?',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    expect(production(unknownField).message).toBe('Cannot query field "emial" on type "User".');
    expect(production(badEnum).message).toBe(
      'Variable "$role" got invalid value "OWNERR"; Value "OWNERR" does not exist in "Role" enum.',
    );
    expect(development(unknownField).message).toBe(unknownField.message);
  });

  test('leaves the rest to the shared formatter: unexpected errors are still masked', () => {
    expect(production({ message: 'relation "users" does not exist', extensions: {} })).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
