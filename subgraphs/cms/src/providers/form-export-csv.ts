import type { FormSubmission, FormSubmissionExport, PrismaClient } from '@token-nexus/prisma';
import { stringify } from 'csv-stringify/sync';
import { leadColumns } from '../validation/form-definition.ts';
import type { PageDocument } from '../validation/page-document.ts';
import { exportedLeadsWhere } from './form-exports.ts';
import { formIn } from './published-forms.ts';

/**
 * An export's columns: the fixed ones, then the form's fields in the order of its
 * published definition (the page of the newest lead, as it is published now), then any
 * other field the exported leads hold (fields removed from the form since), by name. So a
 * column never silently drops what an older lead holds.
 */
export async function exportColumns(prisma: PrismaClient, exported: FormSubmissionExport): Promise<string[]> {
  const newest = await prisma.formSubmission.findFirst({ where: exportedLeadsWhere(exported), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  const revision = newest ? await prisma.pageRevision.findFirst({ where: { pageId: newest.pageId }, orderBy: { number: 'desc' } }) : null;
  const form = revision && exported.formId ? formIn(revision.document as unknown as PageDocument, exported.formId) : null;
  const defined = form?.fields.map((field) => field.name) ?? [];
  const held = await prisma.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT jsonb_object_keys("values") AS key FROM cms.form_submissions
    WHERE organization_id = ${exported.organizationId}::uuid
      AND form_id = ${exported.formId}
      AND created_at <= ${exported.upTo}
      AND (${exported.from}::timestamptz IS NULL OR created_at >= ${exported.from}::timestamptz)
      AND (${exported.to}::timestamptz IS NULL OR created_at < ${exported.to}::timestamptz)
    ORDER BY key`;
  const others = held.map((row) => row.key).filter((key) => !defined.includes(key));
  return [...leadColumns, ...defined, ...others];
}

/** The header line. */
export function csvHeader(columns: readonly string[]): string {
  return stringify([columns.map(guardFormula)]);
}

/** Lines of leads, a cell per column (empty when a lead has no value for a field). */
export function csvRows(columns: readonly string[], leads: readonly FormSubmission[]): string {
  return stringify(leads.map((lead) => columns.map((column) => guardFormula(cellOf(lead, column)))));
}

function cellOf(lead: FormSubmission, column: string): string {
  switch (column) {
    case 'id':
      return lead.id;
    case 'submittedAt':
      return lead.createdAt.toISOString();
    case 'locale':
      return lead.locale;
    case 'pageSlug':
      return lead.pageSlug;
    default: {
      const value = (lead.values as Record<string, unknown>)[column];
      return value === undefined || value === null ? '' : String(value);
    }
  }
}

/**
 * A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return) gets a leading `'`, which spreadsheets show as text (OWASP's advice on
 * CSV injection). Anonymous visitors write these values: `=HYPERLINK(…)` must stay text.
 */
export function guardFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
