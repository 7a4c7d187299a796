import { BadUserInputError } from '../errors/errors.ts';

/** Page sizes of every connection in the graph. */
export const pageSizes = { default: 20, max: 100 } as const;

export interface PageRequest<TCursor> {
  /** Rows to return. */
  limit: number;
  /** Where the page starts (exclusive), or null for the first page. */
  after: TCursor | null;
}

/**
 * Validates `first`/`after`. `first` above the hard maximum is refused, not clamped, so a
 * client never silently receives fewer rows than it asked for.
 */
export function parsePageRequest<TCursor>(
  args: { first?: number | null; after?: string | null },
  decode: (values: unknown[]) => TCursor | null,
): PageRequest<TCursor> {
  const first = args.first ?? pageSizes.default;
  if (!Number.isInteger(first) || first < 0 || first > pageSizes.max) {
    throw new BadUserInputError(`first must be between 0 and ${pageSizes.max}.`, { field: 'first' });
  }
  if (args.after === undefined || args.after === null) return { limit: first, after: null };
  const decoded = decodeCursorValues(args.after);
  const after = decoded ? decode(decoded) : null;
  if (after === null) {
    throw new BadUserInputError('after is not a cursor returned by this connection.', { field: 'after' });
  }
  return { limit: first, after };
}

/** Cursors are opaque to clients: base64url of a JSON array of the ordering values. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursorValues(cursor: string): unknown[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(values) ? values : null;
  } catch {
    return null;
  }
}

export interface Connection<TNode> {
  edges: { cursor: string; node: TNode }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * Builds a Relay connection from up to `limit + 1` rows (the extra row only says whether
 * there is a next page).
 */
export function toConnection<TNode>(
  rows: TNode[],
  page: PageRequest<unknown>,
  cursorOf: (node: TNode) => string,
): Connection<TNode> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
