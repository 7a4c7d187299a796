import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { formatErrorForClient, isExpectedErrorCode } from './format-error.ts';

const internals = {
  stacktrace: ['Error: boom', '    at resolver (/app/src/secret-path.ts:1:1)'],
  serviceName: 'identity',
  exception: { sql: 'SELECT * FROM users' },
  originalError: { name: 'PrismaClientKnownRequestError' },
};
const path = ['organization', 'members'];
const locations = [{ line: 2, column: 3 }];

describe('formatErrorForClient', () => {
  test.each(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'])(
    'passes our %s error with its details but without internal extensions',
    (code) => {
      const error: GraphQLFormattedError = {
        message: 'Safe to show.',
        path,
        locations,
        extensions: { code, field: 'input.slug', ...internals },
      };
      expect(formatErrorForClient(error)).toEqual({
        message: 'Safe to show.',
        path,
        locations,
        extensions: { code, field: 'input.slug' },
      });
    },
  );

  test.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST'])(
    'turns Apollo %s into BAD_USER_INPUT, keeping the message',
    (code) => {
      const error: GraphQLFormattedError = {
        message: 'Cannot query field "nope" on type "Query".',
        locations,
        extensions: { code, ...internals },
      };
      expect(formatErrorForClient(error)).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    },
  );

  test('passes PERSISTED_QUERY_NOT_FOUND so clients resend the full query', () => {
    const error: GraphQLFormattedError = {
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', ...internals },
    };
    expect(formatErrorForClient(error)).toEqual({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
  });

  test.each([
    ['an unknown code', { code: 'DOWNSTREAM_SERVICE_ERROR', ...internals }],
    ['no code', { ...internals }],
    ['INTERNAL_SERVER_ERROR', { code: 'INTERNAL_SERVER_ERROR', ...internals }],
  ])('masks an error with %s, dropping its message', (_, extensions) => {
    const error: GraphQLFormattedError = {
      message: 'relation "users" does not exist',
      path,
      locations,
      extensions,
    };
    expect(formatErrorForClient(error)).toEqual({
      message: 'Internal server error',
      path,
      locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('masks an error without extensions, path or locations to exactly the masked shape', () => {
    expect(formatErrorForClient({ message: 'TypeError: x is undefined' })).toStrictEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe('isExpectedErrorCode', () => {
  test('counts client mistakes as expected and internal or unknown errors as not', () => {
    expect(isExpectedErrorCode('NOT_FOUND')).toBe(true);
    expect(isExpectedErrorCode('GRAPHQL_PARSE_FAILED')).toBe(true);
    expect(isExpectedErrorCode('PERSISTED_QUERY_NOT_FOUND')).toBe(true);
    expect(isExpectedErrorCode('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(isExpectedErrorCode('SOMETHING_ELSE')).toBe(false);
    expect(isExpectedErrorCode(undefined)).toBe(false);
  });
});
