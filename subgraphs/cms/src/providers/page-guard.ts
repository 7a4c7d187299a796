import type { AuditTransaction, Page, PageStatus, Prisma } from '@token-nexus/prisma';
import { ConflictError, NotFoundError, type ApiError } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';

/**
 * Thrown inside a transaction when the page is no longer in the state the write was
 * checked against (another editor got there first): the transaction is rolled back, and
 * the caller turns it into the right error with {@link pageMovedError}.
 */
export class PageMoved extends Error {}

/**
 * Writes a page only if it is still in `expected` state: the check and the write are one
 * conditional UPDATE, atomic in the database, and the row stays locked until the
 * transaction ends (so, e.g., two publishes of one page take turns). Throws PageMoved
 * when nothing matched.
 */
export async function updatePageIf(
  tx: AuditTransaction,
  id: string,
  expected: { version?: number; statusIn: PageStatus[] },
  data: Prisma.PageUpdateManyMutationInput,
): Promise<Page> {
  const { count } = await tx.page.updateMany({
    where: {
      id,
      status: { in: expected.statusIn },
      ...(expected.version !== undefined ? { version: expected.version } : {}),
    },
    data,
  });
  if (count === 0) throw new PageMoved();
  return tx.page.findUniqueOrThrow({ where: { id } });
}

/** Statuses in which a page's draft may be written. */
export const editableStatuses: PageStatus[] = ['DRAFT', 'PUBLISHED'];

/**
 * Why a write found the page other than expected, read again now: gone, archived, or at
 * another version than `givenVersion` (a CONFLICT carrying `currentVersion`).
 */
export async function pageMovedError(ctx: CmsContext, id: string, givenVersion: number): Promise<ApiError> {
  const current = await ctx.prisma.page.findUnique({ where: { id }, select: { version: true, status: true } });
  if (!current) return new NotFoundError('The page does not exist.');
  if (current.status === 'ARCHIVED') return archivedError();
  return staleVersionError(givenVersion, current.version);
}

/** CONFLICT: the client's version is behind; `extensions.currentVersion` says where the page is. */
export function staleVersionError(givenVersion: number, currentVersion: number): ConflictError {
  return new ConflictError(
    `The page's document was changed since version ${givenVersion} (it is now at version ${currentVersion}). Reload it and try again.`,
    { currentVersion },
  );
}

/** CONFLICT: archived pages are read-only. */
export function archivedError(): ConflictError {
  return new ConflictError('The page is archived and read-only; unpublishPage brings it back as a draft.');
}
