import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { encodeCursor, pageSizes, parsePageRequest, toConnection, type PageRequest } from './connection.ts';

interface Cursor {
  createdAt: string;
  id: string;
}

/** Accepts exactly `[createdAt, id]` with two strings, as a real connection would. */
function decode(values: unknown[]): Cursor | null {
  const [createdAt, id] = values;
  return values.length === 2 && typeof createdAt === 'string' && typeof id === 'string' ? { createdAt, id } : null;
}

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { message: error.message, extensions: error.extensions };
  }
  throw new Error('expected a GraphQLError');
}

describe('parsePageRequest', () => {
  test('asks for the default page size from the start when nothing is given', () => {
    expect(parsePageRequest({}, decode)).toEqual({ limit: pageSizes.default, after: null });
    expect(parsePageRequest({ first: null, after: null }, decode)).toEqual({ limit: 20, after: null });
  });

  test('accepts the maximum page size of 100 and an empty page', () => {
    expect(parsePageRequest({ first: 100 }, decode).limit).toBe(100);
    expect(parsePageRequest({ first: 0 }, decode).limit).toBe(0);
  });

  test.each([101, -1, 2.5])('refuses first = %s as bad input on the field `first`', (first) => {
    expect(refusal(() => parsePageRequest({ first }, decode))).toEqual({
      message: 'first must be between 0 and 100.',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  test('decodes a cursor made by encodeCursor', () => {
    const after = encodeCursor(['2030-01-01T00:00:00.000Z', 'row-7']);
    expect(parsePageRequest({ first: 5, after }, decode)).toEqual({
      limit: 5,
      after: { createdAt: '2030-01-01T00:00:00.000Z', id: 'row-7' },
    });
  });

  test.each([
    ['garbage', '!!!not base64!!!'],
    ['an empty string', ''],
    ['base64 of non-JSON', Buffer.from('{oops').toString('base64url')],
    ['a JSON object instead of an array', Buffer.from('{"id":"row-7"}').toString('base64url')],
    ['an array the connection rejects', encodeCursor([1, 2, 3])],
  ])('refuses %s as a cursor on the field `after`', (_, after) => {
    expect(refusal(() => parsePageRequest({ after }, decode))).toEqual({
      message: 'after is not a cursor returned by this connection.',
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  });
});

describe('toConnection', () => {
  const cursorOf = (node: { id: string }) => `cursor-${node.id}`;
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: String(index + 1) }));
  const firstPage: PageRequest<unknown> = { limit: 3, after: null };
  const laterPage: PageRequest<unknown> = { limit: 3, after: { id: 'x' } };

  test('drops the extra row and reports a next page when given limit + 1 rows', () => {
    const connection = toConnection(rows(4), firstPage, cursorOf);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(['1', '2', '3']);
    expect(connection.edges[0]).toEqual({ cursor: 'cursor-1', node: { id: '1' } });
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: 'cursor-1',
      endCursor: 'cursor-3',
    });
  });

  test('reports no next page when given fewer rows than the limit', () => {
    const connection = toConnection(rows(2), laterPage, cursorOf);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(['1', '2']);
    expect(connection.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: 'cursor-1',
      endCursor: 'cursor-2',
    });
  });

  test('reports no next page when given exactly the limit', () => {
    expect(toConnection(rows(3), firstPage, cursorOf).pageInfo.hasNextPage).toBe(false);
  });

  test('gives an empty page null cursors', () => {
    expect(toConnection([], laterPage, cursorOf)).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });
});
