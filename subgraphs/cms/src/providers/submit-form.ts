import { enqueueJob, recordWebhookEvent, type Prisma } from '@token-nexus/prisma';
import { BadUserInputError, mailSendJob, parseInput, type MailJobPayload } from '@token-nexus/shared';
import { z } from 'zod';
import type { CmsContext } from '../context.ts';
import type { FormDefinition } from '../validation/form-definition.ts';
import { checkFormValues, type FormValues } from '../validation/form-values.ts';
import { locale } from '../validation/inputs.ts';
import { jsonNestingExceeds } from '../validation/json-nesting.ts';
import { requirePublishedForm, type PublishedForm } from './published-forms.ts';
import { newSubmissionId } from './submission-ids.ts';

/** The most JSON a visitor's values may take, checked before anything else is done with them. */
export const maxFormValuesBytes = 16 * 1024;

/** What `submitForm` answers. */
export interface FormSubmissionReceiptModel {
  id: string;
  submittedAt: Date;
  message: string | null;
}

const submitArgs = z.object({
  orgSlug: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  pageSlug: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  formId: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  locale: locale.nullish(),
  visitorId: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').nullish(),
});

/**
 * Receives a visitor's values for a form of the public site (anyone, signed in or not).
 *
 * In this order, so that abuse costs as little as possible and nothing is written until
 * everything passed: the size of `values` (16 KiB), the other arguments, the form in the
 * page's live revision (NOT_FOUND otherwise), the honeypot, then every value. The lead,
 * its `form.submitted` webhook event and one `mail.send` job per address the form names are
 * written in one transaction: all of them or none.
 *
 * A filled-in honeypot (a field the renderer hides from humans) means a bot: it gets a
 * receipt just like a person's, with a fresh id, so it cannot tell it was caught, but
 * nothing is stored, sent or mailed. The schema's description keeps quiet about this on
 * purpose: it is read by bots' authors too.
 *
 * Submissions are not in the audit trail: they are anonymous visitors' actions, not
 * members' (the audit trail's subject), and an audit entry per lead would put every
 * busy form's traffic on its organization's audit chain. The lead row is their record;
 * what members do with leads (export, erasure) is audited.
 */
export async function submitForm(
  ctx: CmsContext,
  args: { orgSlug: string; pageSlug: string; formId: string; values: unknown; locale?: string | null; visitorId?: string | null },
): Promise<FormSubmissionReceiptModel> {
  assertValuesSize(args.values);
  const input = parseInput(submitArgs, args);
  const published = await requirePublishedForm(ctx, input);
  const { form } = published;
  const submittedAt = new Date();
  const receipt = { id: newSubmissionId(submittedAt.getTime()), submittedAt, message: form.successMessage ?? null };
  if (honeypotFilled(form, args.values)) {
    ctx.logger.info({ formId: input.formId, pageId: published.page.id }, 'form submission caught by its honeypot: not stored');
    return receipt;
  }
  const values = checkedValues(form, withoutHoneypot(form, args.values));
  await ctx.prisma.$transaction(async (tx) => {
    await storeLead(tx, published, {
      id: receipt.id,
      submittedAt,
      formId: input.formId,
      locale: input.locale ?? published.page.locale,
      visitorId: input.visitorId ?? null,
      values,
    });
  });
  return receipt;
}

/** Refuses values over 16 KiB of JSON (or nested too deeply to measure safely). */
function assertValuesSize(values: unknown): void {
  // Values are flat (field → scalar): anything nested deeper is refused unmeasured.
  const tooBig = jsonNestingExceeds(values, 8) || Buffer.byteLength(JSON.stringify(values) ?? '') > maxFormValuesBytes;
  if (tooBig) throw new BadUserInputError(`values: must be at most ${maxFormValuesBytes / 1024} KiB of JSON`, { field: 'values' });
}

function honeypotFilled(form: FormDefinition, values: unknown): boolean {
  if (values === null || typeof values !== 'object') return false;
  const bait = (values as Record<string, unknown>)[form.honeypotField];
  return bait !== undefined && bait !== null && bait !== '' && bait !== false;
}

/** The values without the (empty) honeypot, which a form's renderer may well send. */
function withoutHoneypot(form: FormDefinition, values: unknown): unknown {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return values;
  return Object.fromEntries(Object.entries(values).filter(([key]) => key !== form.honeypotField));
}

/** The values to store, or a BAD_USER_INPUT naming the first refused (`field`) and listing all (`fields`). */
function checkedValues(form: FormDefinition, values: unknown): FormValues {
  const checked = checkFormValues(form, values);
  if (checked.values) return checked.values;
  const [first] = checked.problems;
  throw new BadUserInputError(checked.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), {
    field: first!.field,
    fields: checked.problems,
  });
}

interface Lead {
  id: string;
  submittedAt: Date;
  formId: string;
  locale: string;
  visitorId: string | null;
  values: FormValues;
}

/** The lead, its webhook event and its notification emails, in the caller's transaction. */
async function storeLead(tx: Prisma.TransactionClient, published: PublishedForm, lead: Lead): Promise<void> {
  const { page, revision, form } = published;
  await tx.formSubmission.create({
    data: {
      id: lead.id,
      organizationId: page.organizationId,
      pageId: page.id,
      pageSlug: page.slug,
      revision: revision.number,
      formId: lead.formId,
      locale: lead.locale,
      visitorId: lead.visitorId,
      values: lead.values,
      createdAt: lead.submittedAt,
    },
  });
  // Experiments count conversions from this event: keep its data's fields stable.
  await recordWebhookEvent(tx, {
    organizationId: page.organizationId,
    type: 'form.submitted',
    data: {
      submissionId: lead.id,
      orgId: page.organizationId,
      pageId: page.id,
      pageSlug: page.slug,
      formId: lead.formId,
      locale: lead.locale,
      visitorId: lead.visitorId,
      // The variant the visitor was shown: analytics counts the lead as its conversion.
      experiment: published.experiment,
      values: lead.values,
      submittedAt: lead.submittedAt.toISOString(),
    },
  });
  for (const to of form.notifyEmails) {
    await enqueueJob(tx, mailSendJob, notification(to, page.slug, form, lead) as unknown as Prisma.InputJsonValue);
  }
}

function notification(to: string, pageSlug: string, form: FormDefinition, lead: Lead): MailJobPayload {
  const values = form.fields
    .filter((field) => lead.values[field.name] !== undefined)
    .map((field) => ({ label: field.label, value: String(lead.values[field.name]) }));
  return {
    template: 'formSubmissionReceived',
    data: { to, pageSlug, formId: lead.formId, submissionId: lead.id, submittedAt: lead.submittedAt.toISOString(), values },
  };
}
