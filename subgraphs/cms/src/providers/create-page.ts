import { auditedTransaction, isUniqueConstraintError, type Page, type Prisma } from '@token-nexus/prisma';
import { BadUserInputError, ConflictError, NotFoundError, parseInput } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { createPageInput } from '../validation/inputs.ts';
import { assertSeoMediaReady } from './seo-media-check.ts';
import { emptyDocument } from '../validation/page-document.ts';
import { checkDocument } from './document-check.ts';

/**
 * Creates a DRAFT page at version 1. Its document is the one given, a copy of a template
 * of the same organization, or an empty tree; whichever it is, it is checked against
 * the organization's components before anything is written.
 */
export async function createPage(ctx: CmsContext, rawInput: unknown): Promise<Page> {
  const viewerId = policy.requireViewer(ctx);
  const input = parseInput(createPageInput, rawInput, 'input');
  await policy.assertCanEditPages(ctx, input.orgId);
  if (input.document != null && input.templateId) {
    throw new BadUserInputError('Give a document or a templateId, not both.', { field: 'input.templateId' });
  }
  let source: unknown = input.document ?? emptyDocument();
  if (input.templateId) {
    const template = await ctx.loaders.templateById.load(input.templateId);
    // Another organization's template is as unknown here as one that does not exist.
    if (!template || template.organizationId !== input.orgId) throw new NotFoundError('The template does not exist.');
    source = template.document;
  }
  const document = await checkDocument(ctx, input.orgId, source);
  await assertSeoMediaReady(ctx, input.orgId, input.seo, 'input.seo');
  return insertPage(
    ctx,
    {
      organizationId: input.orgId,
      kind: input.kind ?? 'PAGE',
      slug: input.slug,
      title: input.title,
      locale: input.locale ?? 'en',
      seo: (input.seo ?? {}) as Prisma.InputJsonObject,
      document: document as unknown as Prisma.InputJsonObject,
      templateId: input.templateId ?? null,
      createdById: viewerId,
    },
    { conflictField: 'input.slug' },
  );
}

/**
 * Writes a new page and its `page.created` audit entry (a summary: the document itself
 * stays out of the trail, plus `translationOf` for a translation). A slug already used in
 * the locale is a CONFLICT naming `conflictField`.
 */
export async function insertPage(
  ctx: CmsContext,
  data: Prisma.PageUncheckedCreateInput,
  options: { conflictField: string; translationOf?: string },
): Promise<Page> {
  try {
    return await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
      const page = await tx.page.create({ data });
      const { kind, slug, title, locale, version, templateId } = page;
      const translationOf = options.translationOf ? { translationOf: options.translationOf } : {};
      audit({
        organizationId: page.organizationId,
        action: 'page.created',
        target: { type: 'page', id: page.id },
        changes: { after: { kind, slug, title, locale, version, templateId, ...translationOf } },
      });
      return page;
    });
  } catch (error) {
    if (isUniqueConstraintError(error)) throw slugTakenError(data.slug, data.locale ?? 'en', options.conflictField);
    throw error;
  }
}

/**
 * CONFLICT: another page of the organization has the slug in the locale (translations share
 * a slug, one page per locale). `field` names the argument that made the clash.
 */
export function slugTakenError(slug: string, locale: string, field = 'input.slug'): ConflictError {
  return new ConflictError(`The slug "${slug}" is already used by another page of this organization in the locale "${locale}".`, {
    field,
  });
}
