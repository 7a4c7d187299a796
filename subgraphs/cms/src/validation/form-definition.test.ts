import { describe, expect, test } from 'vitest';
import { defaultHoneypotField, formDefinition } from './form-definition.ts';

const firstIssue = (props: unknown) => {
  const result = formDefinition.safeParse(props);
  return result.success ? null : { path: result.error.issues[0]!.path.join('.'), message: result.error.issues[0]!.message };
};

describe('formDefinition', () => {
  test('fills in the defaults: not required, 1000 characters of text, the `website` honeypot, no emails', () => {
    const form = formDefinition.parse({ fields: [{ name: 'note', type: 'text', label: 'Note' }] });
    expect(form).toEqual({
      fields: [{ name: 'note', type: 'text', label: 'Note', required: false, maxLength: 1000 }],
      honeypotField: defaultHoneypotField,
      notifyEmails: [],
    });
  });

  test('accepts every field type with its rules', () => {
    const form = formDefinition.parse({
      fields: [
        { name: 'name', type: 'text', label: 'Name', required: true, minLength: 2, maxLength: 80, pattern: '[A-Za-z ]+' },
        { name: 'email', type: 'email', label: 'Email' },
        { name: 'seats', type: 'number', label: 'Seats', min: 1, max: 10, step: 1 },
        { name: 'plan', type: 'select', label: 'Plan', options: [{ value: 'a', label: 'A' }] },
        { name: 'news', type: 'checkbox', label: 'News' },
        { name: 'terms', type: 'consent', label: 'Terms', text: 'I agree.', required: true },
      ],
      honeypotField: 'fax',
      notifyEmails: ['a@example.com'],
      submitLabel: 'Send',
      successMessage: 'Thanks',
    });
    expect(form.fields.map((field) => field.type)).toEqual(['text', 'email', 'number', 'select', 'checkbox', 'consent']);
  });

  test.each([
    [{ fields: [] }, 'fields', 'must have at least one field'],
    [{ fields: [{ name: 'a', type: 'text', label: 'A', minLength: 5, maxLength: 4 }] }, 'fields.0.minLength', 'must not be more than maxLength'],
    [{ fields: [{ name: 'a', type: 'number', label: 'A', min: 5, max: 4 }] }, 'fields.0.min', 'must not be more than max'],
    [{ fields: [{ name: 'a', type: 'number', label: 'A', step: 0 }] }, 'fields.0.step', 'must be more than 0'],
    [{ fields: [{ name: 'a', type: 'select', label: 'A', options: [{ value: 'x', label: 'X' }, { value: 'x', label: 'Y' }] }] }, 'fields.0.options.1.value', "must differ from the other options' values"],
    [{ fields: [{ name: 'a', type: 'text', label: 'A', pattern: '(x*)*y' }] }, 'fields.0.pattern', 'must not nest repetitions (a pattern like (a+)+ can take forever to check)'],
    [{ fields: [{ name: 'a', type: 'text', label: 'A', pattern: '(' }] }, 'fields.0.pattern', 'must be a valid regular expression'],
    [{ fields: [{ name: 'a b', type: 'text', label: 'A' }] }, 'fields.0.name', 'must be 1 to 64 letters, digits or "_", starting with a letter'],
    [{ fields: [{ name: 'a', type: 'text', label: 'A', colour: 'red' }] }, 'fields.0', 'Unrecognized key: "colour"'],
    [{ fields: [{ name: 'locale', type: 'text', label: 'Language' }] }, 'fields.0.name', 'must not be one of id, submittedAt, locale, pageSlug (the columns every export has)'],
    [{ fields: [{ name: 'a', type: 'consent', label: 'A' }] }, 'fields.0.text', 'Invalid input: expected string, received undefined'],
    [{ fields: [{ name: 'website', type: 'text', label: 'Site' }] }, 'honeypotField', 'must not be the name of a field ("website" is one)'],
    [{ fields: [{ name: 'a', type: 'email', label: 'A' }], notifyEmails: ['x'] }, 'notifyEmails.0', 'must be an email address'],
  ])('refuses %j at %s', (props, path, message) => {
    expect(firstIssue(props)).toEqual({ path, message });
  });
});
