import { describe, expect, test } from 'vitest';
import { formDefinition } from './form-definition.ts';
import { checkFormValues } from './form-values.ts';

const form = formDefinition.parse({
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, minLength: 2, maxLength: 10 },
    { name: 'code', type: 'text', label: 'Code', pattern: '[A-Z]{2}' },
    { name: 'email', type: 'email', label: 'Email' },
    { name: 'price', type: 'number', label: 'Price', min: 0.5, max: 10, step: 0.1 },
    { name: 'plan', type: 'select', label: 'Plan', options: [{ value: 'team', label: 'Team' }] },
    { name: 'news', type: 'checkbox', label: 'News' },
    { name: 'terms', type: 'consent', label: 'Terms', text: 'I agree.', required: true },
  ],
});

describe('checkFormValues', () => {
  test('keeps the values given, trimmed, and counts an unticked checkbox as false', () => {
    expect(checkFormValues(form, { name: '  Ada ', email: ' ada@example.com', price: 0.7, plan: 'team', terms: true, code: '' })).toEqual({
      values: { name: 'Ada', email: 'ada@example.com', price: 0.7, plan: 'team', news: false, terms: true },
      problems: [],
    });
  });

  test('matches a pattern against the whole value', () => {
    expect(checkFormValues(form, { name: 'Ada', terms: true, code: 'AB' }).problems).toEqual([]);
    expect(checkFormValues(form, { name: 'Ada', terms: true, code: 'ABC' }).problems).toEqual([{ field: 'values.code', message: 'is not in the expected format' }]);
  });

  test('reports every problem, in the order of the fields, after the keys that are no field', () => {
    expect(checkFormValues(form, { extra: 1, name: 'A', email: 'x@', price: 0.55, plan: 'solo', news: 'yes', terms: false }).problems).toEqual([
      { field: 'values.extra', message: 'is not a field of this form' },
      { field: 'values.name', message: 'must be at least 2 characters' },
      { field: 'values.email', message: 'must be an email address' },
      { field: 'values.price', message: 'must be a multiple of 0.1 from 0.5' },
      { field: 'values.plan', message: 'must be one of the options' },
      { field: 'values.news', message: 'must be true or false' },
      { field: 'values.terms', message: 'must be checked' },
    ]);
  });

  test('refuses what is not an object of values', () => {
    for (const values of [null, 'x', [1]]) {
      expect(checkFormValues(form, values).problems).toEqual([{ field: 'values', message: 'must be a JSON object of field names to values' }]);
    }
  });

  test('a required text of spaces only is missing', () => {
    expect(checkFormValues(form, { name: '   ', terms: true }).problems).toEqual([{ field: 'values.name', message: 'is required' }]);
  });
});
