import { auditedTransaction, type FormSubmissionExport, type Prisma } from '@token-nexus/prisma';
import { createSignedDownloadLinks, type DownloadSigner } from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { leadsWhere, parseLeadFilter, type LeadFilter } from './form-submissions.ts';

/** What `exportFormSubmissions` answers. */
export interface FormSubmissionExportModel {
  id: string;
  formId: string;
  rowCount: number;
  url: string;
  expiresAt: Date;
}

/** The path, on the API's origin, under which the gateway serves cms exports (gateway downloadRoutes). */
export const formExportPathPrefix = '/downloads/cms-exports/';

/** How long a download link works. Export again for a fresh one. */
export const formExportLinkLifetimeMs = 15 * 60 * 1000;

/** Signs the download links of form-submission exports (a key of their own: see createSignedDownloadLinks). */
export function formExportLinks(signingSecret: string): DownloadSigner {
  return createSignedDownloadLinks({
    signingSecret,
    purpose: 'cms-form-submission-export:v1',
    pathPrefix: formExportPathPrefix,
    lifetimeMs: formExportLinkLifetimeMs,
  });
}

/**
 * Asks for a CSV of a form's leads (editors). The export row fixes what it holds (the
 * filter, and nothing sent after now), so the download, which streams those rows from the
 * database a batch at a time when the link is followed, is the same however late or often
 * it is fetched. No job is needed: there is nothing to prepare beyond that row (unlike the
 * audit export there is no chain to snapshot), and the streaming is what takes time. The
 * audit entry records who exported which form.
 */
export async function exportFormSubmissions(ctx: CmsContext, args: { orgId: unknown; formId: unknown; from?: unknown; to?: unknown }): Promise<FormSubmissionExportModel> {
  const viewerId = policy.requireViewer(ctx);
  const filter = parseLeadFilter(args, { formRequired: true });
  await policy.assertCanReadLeads(ctx, filter.organizationId);
  const formId = filter.formId!;
  const upTo = new Date();
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const created = await tx.formSubmissionExport.create({
      data: { organizationId: filter.organizationId, formId, from: filter.from ?? null, to: filter.to ?? null, upTo, requestedById: viewerId },
    });
    const rowCount = await tx.formSubmission.count({ where: exportedLeadsWhere(created) });
    audit({
      organizationId: filter.organizationId,
      action: 'form_submission.exported',
      target: { type: 'form_submission_export', id: created.id },
      changes: { after: { formId, from: filter.from?.toISOString() ?? null, to: filter.to?.toISOString() ?? null, rowCount } },
    });
    return { id: created.id, formId, rowCount, ...formExportLinks(ctx.signingSecret).link(created.id) };
  });
}

/** The filter an export was asked with, as stored. */
export function exportFilter(exported: FormSubmissionExport): LeadFilter {
  return { organizationId: exported.organizationId, formId: exported.formId, from: exported.from, to: exported.to };
}

/** The leads an export holds: its filter, up to the instant it was asked. */
export function exportedLeadsWhere(exported: FormSubmissionExport): Prisma.FormSubmissionWhereInput {
  return { AND: [leadsWhere(exportFilter(exported)), { createdAt: { lte: exported.upTo } }] };
}
