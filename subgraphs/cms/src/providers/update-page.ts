import { isDeepStrictEqual } from 'node:util';
import { auditedTransaction, isUniqueConstraintError, type Page, type PageOperation, type Prisma } from '@token-nexus/prisma';
import { BadUserInputError, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { replaceDocumentOperation } from '../live/operations.ts';
import { publishOperations } from '../live/page-events.ts';
import { recordDocumentReplaced } from '../live/submit-operations.ts';
import { updatePageInput, uuid, version as versionSchema } from '../validation/inputs.ts';
import { slugTakenError } from './create-page.ts';
import { checkDocument } from './document-check.ts';
import { PageMoved, archivedError, editableStatuses, pageMovedError, staleVersionError, updatePageIf } from './page-guard.ts';
import { requirePage } from './pages.ts';
import { assertSeoMediaReady } from './seo-media-check.ts';

const updatableFields = ['title', 'slug', 'locale', 'seo', 'document'] as const;

/**
 * Changes a page's draft with optimistic concurrency: the write happens only if the
 * document is still at the version the client loaded (one conditional UPDATE). A document
 * that differs from the stored one adds one to the version; the other fields do not. The
 * new document enters the page's operation history as a whole-document replacement, so
 * live editors are transformed against it (and see it) like any edit.
 */
export async function updatePage(
  ctx: CmsContext,
  args: { id: unknown; input: unknown; version: unknown },
): Promise<Page> {
  const id = parseInput(uuid, args.id, 'id');
  refuseNulls(args.input);
  const input = parseInput(updatePageInput, args.input, 'input');
  const version = parseInput(versionSchema, args.version, 'version');
  const authorId = policy.requireViewer(ctx);
  const before = await requirePage(ctx, id);
  await policy.assertCanEditPages(ctx, before.organizationId);
  if (before.status === 'ARCHIVED') throw archivedError();
  // Checked again atomically by the write; failing here first spares checking a document
  // that would be refused anyway.
  if (before.version !== version) throw staleVersionError(version, before.version);
  const document = input.document !== undefined ? await checkDocument(ctx, before.organizationId, input.document) : undefined;
  await assertSeoMediaReady(ctx, before.organizationId, input.seo, 'input.seo');

  const proposed = { title: input.title, slug: input.slug, locale: input.locale, seo: input.seo, document };
  const changed = updatableFields.filter(
    (field) => proposed[field] !== undefined && !isDeepStrictEqual(proposed[field], before[field]),
  );
  const data = Object.fromEntries(changed.map((field) => [field, proposed[field]])) as Prisma.PageUpdateManyMutationInput;
  if (changed.includes('document')) data.version = version + 1;

  try {
    const { after, history } = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const after = await updatePageIf(tx, id, { version, statusIn: editableStatuses }, data);
      let history: PageOperation | null = null;
      if (document !== undefined && changed.includes('document')) {
        history = await recordDocumentReplaced(tx, { pageId: id, version: after.version, authorId }, replaceDocumentOperation(document));
      }
      // Values of short fields; only the names of SEO and the document, never their content.
      const shown = changed.filter((field) => field === 'title' || field === 'slug' || field === 'locale');
      audit({
        organizationId: after.organizationId,
        action: 'page.updated',
        target: { type: 'page', id },
        changes: {
          before: { version: before.version, ...Object.fromEntries(shown.map((field) => [field, before[field]])) },
          after: { version: after.version, fields: changed, ...Object.fromEntries(shown.map((field) => [field, after[field]])) },
        },
      });
      return { after, history };
    });
    if (history) await publishOperations(ctx.events, [history]);
    return after;
  } catch (error) {
    // A slug change moves this translation only; the clash is named by what changed it.
    if (isUniqueConstraintError(error)) {
      throw slugTakenError(input.slug ?? before.slug, input.locale ?? before.locale, changed.includes('slug') ? 'input.slug' : 'input.locale');
    }
    if (error instanceof PageMoved) throw await pageMovedError(ctx, id, version);
    throw error;
  }
}

/** In an update, an omitted field stays as it is; null is refused rather than guessed at. */
function refuseNulls(input: unknown): void {
  if (typeof input !== 'object' || input === null) return;
  for (const field of updatableFields) {
    if ((input as Record<string, unknown>)[field] === null) {
      throw new BadUserInputError(`input.${field}: omit it to leave it unchanged; null is not a value here`, {
        field: `input.${field}`,
      });
    }
  }
}
