import { auditedTransaction, eraseEventData, eraseJobData, type FormSubmission, type Prisma } from '@token-nexus/prisma';
import {
  BadUserInputError,
  mailSendJob,
  NotFoundError,
  afterNewestFirst,
  decodeNewestFirstCursor,
  newestFirstCursorOf,
  newestFirstOrder,
  parseInput,
  parsePageRequest,
  toConnection,
  type NewestFirstCursor,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { CmsContext } from '../context.ts';
import type { FormSubmissionConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { uuid } from '../validation/inputs.ts';

/** Which leads of an organization: of one form, sent within [from, to). */
export interface LeadFilter {
  organizationId: string;
  formId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const leadFilterArgs = z.object({
  orgId: uuid,
  formId: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
});

/**
 * The filter of `formSubmissions` and `exportFormSubmissions`, checked; `from` must come
 * before `to`. An export is of one form: its `formId` is required (the schema says so too).
 */
export function parseLeadFilter(args: unknown, options: { formRequired?: boolean } = {}): LeadFilter {
  const schema = options.formRequired ? leadFilterArgs.extend({ formId: leadFilterArgs.shape.formId.unwrap().unwrap() }) : leadFilterArgs;
  const { orgId, ...rest } = parseInput(schema, args);
  if (rest.from && rest.to && rest.from >= rest.to) throw new BadUserInputError('to: must be after from', { field: 'to' });
  return { organizationId: orgId, ...rest };
}

/** The Prisma condition for a filter's leads. */
export function leadsWhere(filter: LeadFilter): Prisma.FormSubmissionWhereInput {
  return {
    organizationId: filter.organizationId,
    ...(filter.formId ? { formId: filter.formId } : {}),
    ...(filter.from || filter.to
      ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
}

/** One page of an organization's leads, newest first (editors only: they hold visitors' data). */
export async function listFormSubmissions(
  ctx: CmsContext,
  args: { orgId: unknown; formId?: unknown; from?: unknown; to?: unknown; first?: number | null; after?: string | null },
): Promise<FormSubmissionConnectionModel> {
  const filter = parseLeadFilter({ orgId: args.orgId, formId: args.formId, from: args.from, to: args.to });
  await policy.assertCanReadLeads(ctx, filter.organizationId);
  const page = parsePageRequest<NewestFirstCursor>(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.formSubmission.findMany({
    where: { AND: [leadsWhere(filter), afterNewestFirst(page.after)] },
    orderBy: newestFirstOrder,
    take: page.limit + 1,
  });
  return toConnection(rows, page, newestFirstCursorOf);
}

/**
 * Erases a lead (OWNER or ADMIN), e.g. when the person it is about asks: the row, and its
 * values wherever the platform copied them (its event in the outbox, the webhook deliveries
 * and workflow runs made from it, its notification mail jobs). The audit entry says which
 * lead of which form was erased and by whom, never what it held.
 */
export async function deleteFormSubmission(ctx: CmsContext, rawId: unknown): Promise<boolean> {
  policy.requireViewer(ctx);
  const id = parseInput(uuid, rawId, 'id');
  const lead = await ctx.prisma.formSubmission.findUnique({ where: { id } });
  if (!lead) throw new NotFoundError('The form submission does not exist.');
  await policy.assertCanEraseLeads(ctx, lead.organizationId);
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const { count } = await tx.formSubmission.deleteMany({ where: { id } });
    // Erased meanwhile by someone else: nothing happened here, so nothing to record.
    if (count === 0) throw new NotFoundError('The form submission does not exist.');
    // The values also went out in its form.submitted event and notification emails: the
    // copies the platform keeps of those forget them in the same transaction.
    await eraseEventData(tx, { organizationId: lead.organizationId, type: 'form.submitted', key: 'submissionId', value: id, fields: ['values'] });
    await eraseJobData(tx, { queue: mailSendJob.queue, key: 'submissionId', value: id, replace: { values: [] } });
    audit(erasureEntry(lead));
    return true;
  });
}

function erasureEntry(lead: FormSubmission) {
  return {
    organizationId: lead.organizationId,
    action: 'form_submission.deleted',
    target: { type: 'form_submission', id: lead.id },
    changes: { before: { pageId: lead.pageId, formId: lead.formId, submittedAt: lead.createdAt.toISOString() } },
  };
}
