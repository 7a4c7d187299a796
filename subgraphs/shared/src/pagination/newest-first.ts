import { encodeCursor } from './connection.ts';

/** Where a newest-first list stopped: the last row's creation time, then its id. */
export interface NewestFirstCursor {
  createdAt: Date;
  id: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newestFirstCursorOf(row: { createdAt: Date; id: string }): string {
  return encodeCursor([row.createdAt.toISOString(), row.id]);
}

/** For parsePageRequest: a cursor of a newest-first list, or null when it is not one. */
export function decodeNewestFirstCursor(values: unknown[]): NewestFirstCursor | null {
  const [createdAt, id] = values;
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !uuidPattern.test(id)) return null;
  const date = new Date(createdAt);
  return Number.isNaN(date.getTime()) ? null : { createdAt: date, id };
}

/**
 * The Prisma condition for rows after `cursor` in newest-first order: older ones, or as
 * old with a smaller id. Order by `[{ createdAt: 'desc' }, { id: 'desc' }]` to match.
 */
export function afterNewestFirst(cursor: NewestFirstCursor | null) {
  if (!cursor) return {};
  return { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] };
}

export const newestFirstOrder = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
