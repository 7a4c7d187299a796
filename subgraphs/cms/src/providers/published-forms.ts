import type { Page, PageRevision } from '@token-nexus/prisma';
import { NotFoundError } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { formComponentName, formDefinition, type FormDefinition } from '../validation/form-definition.ts';
import { placedNodes, type PageDocument } from '../validation/page-document.ts';
import { findPublishedPage } from './published-pages.ts';

/** A form as the public site shows it: in the live revision of a published page. */
export interface PublishedForm {
  page: Page;
  revision: PageRevision;
  form: FormDefinition;
  /** The page's running experiment and the visitor's variant of it (whose document held the form), if any. */
  experiment: { id: string; variant: string } | null;
}

/**
 * The form `formId` of what the public site shows at `pageSlug` to this visitor (see
 * findPublishedPage: the live revision of a PUBLISHED page of an active organization, never
 * the draft; the translation `locale` picks; the visitor's variant while the page runs an
 * experiment, so the form checked is the one the visitor was shown). Anything else is the
 * same NOT_FOUND, so the answer tells a caller nothing about drafts.
 */
export async function requirePublishedForm(
  ctx: CmsContext,
  args: { orgSlug: string; pageSlug: string; formId: string; locale?: string | null; visitorId?: string | null },
): Promise<PublishedForm> {
  const published = await findPublishedPage(ctx, { orgSlug: args.orgSlug, slug: args.pageSlug, locale: args.locale, visitorId: args.visitorId });
  const form = published ? formIn(published.revision.document as unknown as PageDocument, args.formId) : null;
  if (!published || !form) throw new NotFoundError('There is no such form on the public site.');
  const experiment = published.experiment && published.variant ? { id: published.experiment.id, variant: published.variant } : null;
  return { page: published.page, revision: published.revision, form, experiment };
}

/** The definition of the `form` node `formId` of a stored document, or null. */
export function formIn(document: PageDocument, formId: string): FormDefinition | null {
  const node = placedNodes(document).find(({ node: candidate }) => candidate.id === formId && candidate.component === formComponentName);
  if (!node) return null;
  // Checked when the document was written; parsed again for the defaults it leaves out.
  const parsed = formDefinition.safeParse(node.node.props);
  return parsed.success ? parsed.data : null;
}
