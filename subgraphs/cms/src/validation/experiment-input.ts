import { z } from 'zod';
import { pageTitle } from './inputs.ts';

/** The variant that is the page's live revision: it has a weight but no content of its own. */
export const controlVariant = 'control';

/** A variant's key: a lower-case letter, then up to 31 lower-case letters, digits and hyphens. */
export const variantKey = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case letter followed by up to 31 lower-case letters, digits and hyphens');

/** A visitor id as `publishedPage` takes it. */
export const visitorId = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

const variantInput = z
  .object({
    key: variantKey,
    weight: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    title: pageTitle.nullish(),
    document: z.unknown().optional(),
  })
  .superRefine((variant, issues) => {
    const isControl = variant.key === controlVariant;
    const hasDocument = variant.document !== undefined && variant.document !== null;
    if (isControl && (variant.title != null || hasDocument)) {
      issues.addIssue({ code: 'custom', path: [variant.title != null ? 'title' : 'document'], message: 'control is the live revision: give only its key and weight' });
    }
    if (!isControl && variant.title == null) issues.addIssue({ code: 'custom', path: ['title'], message: 'is required for a variant other than control' });
    else if (!isControl && !hasDocument) issues.addIssue({ code: 'custom', path: ['document'], message: 'is required for a variant other than control' });
  });

const goalInput = z
  .object({
    formId: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters').nullish(),
    eventName: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
  })
  .refine((goal) => (goal.formId == null) !== (goal.eventName == null), 'give exactly one of formId and eventName');

/**
 * `StartPageExperimentInput`: 2–5 variants with distinct keys, `control` among them, whole
 * weights summing to 100; a goal that is one form or one event. Documents are only
 * required here; they are checked against the organization's components afterwards.
 */
export const startExperimentInput = z.object({
  variants: z
    .array(variantInput)
    .min(2, 'give 2–5 variants, control among them')
    .max(5, 'give 2–5 variants, control among them')
    .superRefine((variants, issues) => {
      const seen = new Set<string>();
      variants.forEach((variant, index) => {
        if (seen.has(variant.key)) issues.addIssue({ code: 'custom', path: [index, 'key'], message: `"${variant.key}" is given twice` });
        seen.add(variant.key);
      });
      if (!seen.has(controlVariant)) issues.addIssue({ code: 'custom', message: 'must include control (the live revision) with its weight' });
      const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
      if (total !== 100) {
        issues.addIssue({ code: 'custom', path: [variants.length - 1, 'weight'], message: `weights must sum to 100 (they sum to ${total})` });
      }
    }),
  goal: goalInput,
});

export type StartExperimentInput = z.output<typeof startExperimentInput>;

/** An experiment's goal as stored (`PageExperiment.goal`): one of the two fields. */
export const storedGoal = z.object({ formId: z.string().optional(), eventName: z.string().optional() });
