import safeRegex from 'safe-regex2';
import { z } from 'zod';

/**
 * The built-in `form` component: every organization has it, without a row in its library.
 * Its props are checked by `formDefinition` below rather than by a JSON Schema, because
 * they are more than a shape: the rules must make sense together (a minimum under its
 * maximum, unique field names, a pattern that compiles and cannot backtrack forever) and
 * `submitForm` reads them as the contract anonymous visitors' values are held to. The node's
 * `id` is the form's id (`submitForm(formId:)`). The name is reserved: no library component
 * may take it (see createComponent), so a document's `form` always means this one.
 */
export const formComponentName = 'form';

/** What a visitor's values are held to: a form's bounds. */
export const formLimits = {
  maxFields: 50,
  maxOptions: 200,
  maxNotifyEmails: 5,
  maxTextLength: 10_000,
  maxPatternLength: 500,
} as const;

/** The honeypot field's name when a form does not name one. */
export const defaultHoneypotField = 'website';

/** The columns every lead export starts with (see form-export-csv.ts): no field may be named like one. */
export const leadColumns = ['id', 'submittedAt', 'locale', 'pageSlug'] as const;

/** A field's name: the key of its value in `submitForm(values:)` and its CSV column. */
const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be 1 to 64 letters, digits or "_", starting with a letter')
  .refine((name) => !(leadColumns as readonly string[]).includes(name), `must not be one of ${leadColumns.join(', ')} (the columns every export has)`);

const label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const length = z.number().int('must be a whole number').min(0, 'must not be negative').max(formLimits.maxTextLength, `must be at most ${formLimits.maxTextLength}`);

/** A regular expression a text value must match as a whole: it must compile and must not be able to backtrack exponentially. */
const pattern = z
  .string()
  .min(1, 'must not be empty')
  .max(formLimits.maxPatternLength, `must be at most ${formLimits.maxPatternLength} characters`)
  .refine((source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression')
  .refine((source) => safeRegex(source), 'must not nest repetitions (a pattern like (a+)+ can take forever to check)');

const common = {
  name: fieldName,
  label,
  /** Text, email, number and select: a value must be given. Checkbox and consent: must be checked. */
  required: z.boolean().default(false),
};

const textField = z.strictObject({
  ...common,
  type: z.literal('text'),
  minLength: length.optional(),
  maxLength: length.default(1000),
  pattern: pattern.optional(),
});

const emailField = z.strictObject({ ...common, type: z.literal('email') });

const numberField = z.strictObject({
  ...common,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive('must be more than 0').optional(),
});

const selectOption = z.strictObject({
  value: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  label,
});

const selectField = z.strictObject({
  ...common,
  type: z.literal('select'),
  options: z
    .array(selectOption)
    .min(1, 'must have at least one option')
    .max(formLimits.maxOptions, `must have at most ${formLimits.maxOptions} options`),
});

const checkboxField = z.strictObject({ ...common, type: z.literal('checkbox') });

const consentField = z.strictObject({
  ...common,
  type: z.literal('consent'),
  /** What the visitor agrees to, shown next to the box. */
  text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
});

const formField = z.discriminatedUnion('type', [textField, emailField, numberField, selectField, checkboxField, consentField], {
  message: 'must be a field of type text, email, number, select, checkbox or consent',
});

/** One field of a form, its rules filled in with their defaults. */
export type FormField = z.output<typeof formField>;

/** The props of a `form` node, as `submitForm` reads them. */
export const formDefinition = z
  .strictObject({
    fields: z
      .array(formField)
      .min(1, 'must have at least one field')
      .max(formLimits.maxFields, `must have at most ${formLimits.maxFields} fields`),
    /** A field humans never see (the renderer hides it): a submission that fills it in comes from a bot. */
    honeypotField: fieldName.default(defaultHoneypotField),
    /** Who is told by email of each submission. */
    notifyEmails: z
      .array(z.email('must be an email address').max(254, 'must be at most 254 characters'))
      .max(formLimits.maxNotifyEmails, `must have at most ${formLimits.maxNotifyEmails} addresses`)
      .default([]),
    submitLabel: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    successMessage: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
  })
  .superRefine((form, context) => {
    const seen = new Set<string>();
    form.fields.forEach((field, index) => {
      if (seen.has(field.name)) context.addIssue({ code: 'custom', path: ['fields', index, 'name'], message: `"${field.name}" is the name of another field` });
      seen.add(field.name);
      for (const issue of fieldRuleIssues(field)) context.addIssue({ code: 'custom', path: ['fields', index, ...issue.path], message: issue.message });
    });
    if (seen.has(form.honeypotField)) {
      context.addIssue({ code: 'custom', path: ['honeypotField'], message: `must not be the name of a field ("${form.honeypotField}" is one)` });
    }
  });

/** A form's props, checked and with defaults filled in. */
export type FormDefinition = z.output<typeof formDefinition>;

/** Rules of one field that contradict each other. */
function fieldRuleIssues(field: FormField): { path: (string | number)[]; message: string }[] {
  if (field.type === 'text' && field.minLength !== undefined && field.minLength > field.maxLength) {
    return [{ path: ['minLength'], message: 'must not be more than maxLength' }];
  }
  if (field.type === 'number' && field.min !== undefined && field.max !== undefined && field.min > field.max) {
    return [{ path: ['min'], message: 'must not be more than max' }];
  }
  if (field.type === 'select') {
    const values = field.options.map((option) => option.value);
    const repeated = values.findIndex((value, index) => values.indexOf(value) !== index);
    if (repeated >= 0) return [{ path: ['options', repeated, 'value'], message: 'must differ from the other options\' values' }];
  }
  return [];
}
