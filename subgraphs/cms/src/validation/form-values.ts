import { z } from 'zod';
import type { FormDefinition, FormField } from './form-definition.ts';

/** A value a visitor sent that the form refuses, named as `values.<field>`. */
export interface FormValueProblem {
  field: string;
  message: string;
}

/** What a form's values are once checked: one entry per field given, in definition order. */
export type FormValues = Record<string, string | number | boolean>;

const email = z.email().max(254);

/**
 * Checks a visitor's values against a form's definition and returns every problem (not
 * only the first: a visitor fixes them all at once), or the values to store. A key that is
 * not a field is a problem (the honeypot is dealt with before). An empty string counts as
 * not given. Checkboxes and consents not given count as unchecked.
 */
export function checkFormValues(
  form: FormDefinition,
  values: unknown,
): { values: FormValues; problems: [] } | { values: null; problems: FormValueProblem[] } {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    return { values: null, problems: [{ field: 'values', message: 'must be a JSON object of field names to values' }] };
  }
  const given = values as Record<string, unknown>;
  const problems: FormValueProblem[] = [];
  const names = new Set(form.fields.map((field) => field.name));
  for (const key of Object.keys(given)) {
    if (!names.has(key)) problems.push({ field: `values.${key}`, message: 'is not a field of this form' });
  }
  const checked: FormValues = {};
  for (const field of form.fields) {
    const outcome = checkValue(field, given[field.name]);
    if ('message' in outcome) problems.push({ field: `values.${field.name}`, message: outcome.message });
    else if (outcome.value !== undefined) checked[field.name] = outcome.value;
  }
  return problems.length > 0 ? { values: null, problems } : { values: checked, problems: [] };
}

type Outcome = { value: string | number | boolean | undefined } | { message: string };

function checkValue(field: FormField, raw: unknown): Outcome {
  if (field.type === 'checkbox' || field.type === 'consent') return checkBox(field.required, raw);
  if (raw === undefined || raw === null || raw === '') {
    return field.required ? { message: 'is required' } : { value: undefined };
  }
  switch (field.type) {
    case 'text':
      return checkText(field, raw);
    case 'email':
      return typeof raw === 'string' && email.safeParse(raw.trim()).success
        ? { value: raw.trim() }
        : { message: 'must be an email address' };
    case 'number':
      return checkNumber(field, raw);
    case 'select':
      return typeof raw === 'string' && field.options.some((option) => option.value === raw)
        ? { value: raw }
        : { message: 'must be one of the options' };
  }
}

function checkBox(required: boolean, raw: unknown): Outcome {
  if (raw !== undefined && raw !== null && typeof raw !== 'boolean') return { message: 'must be true or false' };
  const checked = raw === true;
  if (required && !checked) return { message: 'must be checked' };
  return { value: checked };
}

function checkText(field: Extract<FormField, { type: 'text' }>, raw: unknown): Outcome {
  if (typeof raw !== 'string') return { message: 'must be text' };
  const value = raw.trim();
  if (value === '') return field.required ? { message: 'is required' } : { value: undefined };
  if (field.minLength !== undefined && value.length < field.minLength) return { message: `must be at least ${field.minLength} characters` };
  if (value.length > field.maxLength) return { message: `must be at most ${field.maxLength} characters` };
  // Anchored: the pattern describes the whole value, not a part of it. Safe to run on
  // anything a visitor sends: the definition refused patterns that can backtrack for ever.
  if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`, 'u').test(value)) {
    return { message: 'is not in the expected format' };
  }
  return { value };
}

function checkNumber(field: Extract<FormField, { type: 'number' }>, raw: unknown): Outcome {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return { message: 'must be a number' };
  if (field.min !== undefined && raw < field.min) return { message: `must be at least ${field.min}` };
  if (field.max !== undefined && raw > field.max) return { message: `must be at most ${field.max}` };
  if (field.step !== undefined) {
    const steps = (raw - (field.min ?? 0)) / field.step;
    // Decimal steps (0.01) are not exact in binary: allow for the rounding.
    if (Math.abs(steps - Math.round(steps)) > 1e-9) return { message: `must be a multiple of ${field.step}${field.min !== undefined ? ` from ${field.min}` : ''}` };
  }
  return { value: raw };
}
