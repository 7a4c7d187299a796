import { Prisma, auditedTransaction, type AuditTransaction, type PageOperation } from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, parseInput } from '@token-nexus/shared';
import { z } from 'zod';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { checkDocument } from '../providers/document-check.ts';
import { archivedError } from '../providers/page-guard.ts';
import { requirePage } from '../providers/pages.ts';
import { uuid } from '../validation/inputs.ts';
import {
  applyOperation,
  parseOperations,
  transformAgainst,
  type JSONOp,
} from './operations.ts';
import { operationEvent, publishOperations, type PageOperationEvent } from './page-events.ts';

const baseVersion = z.int('must be an integer').min(1, 'must be at least 1');

/**
 * Accepts one submission of live edits to a page.
 *
 * The order of edits is decided by the database: the page's row is locked (FOR UPDATE)
 * for the whole transaction, so submissions to one page, through any replica, take turns.
 * Under the lock the operation is transformed against every operation accepted since its
 * base version, applied, the resulting tree checked, and the new document, its operation
 * (numbered `version + 1`, unique per page) and the audit entry written together. Only
 * after the commit is the operation broadcast. A submission refused at any step writes
 * nothing.
 */
export async function submitPageOperations(
  ctx: CmsContext,
  args: { pageId: unknown; baseVersion: unknown; operations: unknown; submissionId?: unknown },
): Promise<PageOperationEvent> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const base = parseInput(baseVersion, args.baseVersion, 'baseVersion');
  const submissionId = args.submissionId == null ? null : parseInput(uuid, args.submissionId, 'submissionId');
  const authorId = policy.requireViewer(ctx);
  const page = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, page.organizationId);
  const submitted = parseOperations(args.operations);

  const accepted = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const current = await lockPage(tx, pageId);
    if (submissionId) {
      const earlier = await tx.pageOperation.findUnique({ where: { pageId_submissionId: { pageId, submissionId } } });
      // A retry of a submission that was applied: its first result, applied once.
      if (earlier) return { row: earlier, fresh: false };
    }
    if (current.status === 'ARCHIVED') throw archivedError();
    if (base > current.version) {
      throw new BadUserInputError(
        `baseVersion: the page is at version ${current.version}; ${base} does not exist yet`,
        { field: 'baseVersion', currentVersion: current.version },
      );
    }
    if (current.version - base > ctx.live.maxVersionsBehind) {
      throw tooFarBehindError(base, current.version, ctx.live.maxVersionsBehind);
    }
    const since = await operationsAfter(tx, pageId, base, current.version);
    const operation = transformAgainst(submitted, since);
    const document = await checkDocument(ctx, page.organizationId, applyOperation(current.document, operation), 'document', tx);
    const version = current.version + 1;
    await tx.page.update({
      where: { id: pageId },
      data: { document: document as unknown as Prisma.InputJsonObject, version },
    });
    const row = await tx.pageOperation.create({
      data: { pageId, version, baseVersion: base, operation: storedOperation(operation), authorId, submissionId },
    });
    audit({
      organizationId: page.organizationId,
      action: 'page.edited',
      target: { type: 'page', id: pageId },
      // Versions only: the content of edits stays out of the trail.
      changes: { before: { version: current.version }, after: { version, baseVersion: base } },
    });
    return { row, fresh: true };
  });
  if (accepted.fresh) await publishOperations(ctx.events, [accepted.row]);
  return operationEvent(accepted.row);
}

/** Locks the page's row until the transaction ends and reads it as it is now. */
async function lockPage(tx: AuditTransaction, pageId: string) {
  await tx.$queryRaw`SELECT 1 FROM cms.pages WHERE id = ${pageId}::uuid FOR UPDATE`;
  return tx.page.findUniqueOrThrow({ where: { id: pageId }, select: { version: true, status: true, document: true } });
}

/** The operations of versions `after + 1` … `upTo`, oldest first; every one of them must be there. */
async function operationsAfter(
  tx: AuditTransaction,
  pageId: string,
  after: number,
  upTo: number,
): Promise<JSONOp[]> {
  if (after === upTo) return [];
  const rows = await tx.pageOperation.findMany({
    where: { pageId, version: { gt: after, lte: upTo } },
    orderBy: { version: 'asc' },
    select: { operation: true },
  });
  if (rows.length !== upTo - after) {
    // Only possible for history written before operations were kept.
    throw new ConflictError(`The page's history before version ${upTo} is incomplete. Reload the page and edit from there.`, {
      currentVersion: upTo,
    });
  }
  return rows.map((row) => row.operation as JSONOp);
}

/** CONFLICT: the client is too far behind to be transformed; it reloads the page. */
export function tooFarBehindError(givenVersion: number, currentVersion: number, limit: number): ConflictError {
  return new ConflictError(
    `Version ${givenVersion} is too far behind the page (now at version ${currentVersion}, at most ${limit} versions back). Reload the page and edit from there.`,
    { currentVersion },
  );
}

/**
 * Records, in the transaction that replaces a page's document outside live editing
 * (updatePage, a restored revision), the operation of the new version, so that the
 * history stays gap-free and live editors are transformed against it. Publish the
 * returned row once the transaction has committed.
 */
export function recordDocumentReplaced(
  tx: AuditTransaction,
  change: { pageId: string; version: number; authorId: string },
  operation: JSONOp,
): Promise<PageOperation> {
  return tx.pageOperation.create({
    data: {
      pageId: change.pageId,
      version: change.version,
      baseVersion: change.version - 1,
      operation: storedOperation(operation),
      authorId: change.authorId,
    },
  });
}

/** ot-json1's no-op is null (an edit overtaken by another, say): kept as JSON null. */
function storedOperation(operation: JSONOp): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return operation === null ? Prisma.JsonNull : (operation as Prisma.InputJsonValue);
}
