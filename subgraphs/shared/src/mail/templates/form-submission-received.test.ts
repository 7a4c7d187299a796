import { describe, expect, test } from 'vitest';
import { InvalidMailMessageError } from '../mail-message.ts';
import { formSubmissionReceived, type FormSubmissionReceived } from './form-submission-received.ts';

const lead: FormSubmissionReceived = {
  to: 'sales@example.com',
  pageSlug: 'contact',
  formId: 'contact',
  submissionId: '0193f1a2-7b4c-7d5e-8f60-1a2b3c4d5e6f',
  submittedAt: '2026-12-05T12:00:00.000Z',
  values: [
    { label: 'Your name', value: 'Ada Lovelace' },
    { label: 'Message', value: 'Two lines\nof text' },
  ],
};

describe('the form submission notification', () => {
  test('lists each value with its label, and says which page, form and lead it is about', () => {
    const message = formSubmissionReceived(lead);
    expect(message.to).toBe('sales@example.com');
    expect(message.subject).toBe('New form submission on contact');
    expect(message.text).toContain('Your name: Ada Lovelace');
    expect(message.text).toContain('Message: Two lines\nof text');
    expect(message.text).toContain(lead.submissionId);
    expect(message.html).toContain('<th align="left" valign="top">Your name</th><td style="white-space: pre-wrap">Ada Lovelace</td>');
  });

  test("escapes what the visitor and the editor wrote in the html part", () => {
    const message = formSubmissionReceived({
      ...lead,
      formId: '<b>form</b>',
      values: [{ label: '<i>Name</i>', value: '<img src=x onerror=alert(1)>' }],
    });
    expect(message.html).not.toMatch(/<img|<i>|<b>/);
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('refuses an address that is not one (the job gives up rather than retrying)', () => {
    expect(() => formSubmissionReceived({ ...lead, to: 'a@example.com\nBcc: b@example.com' })).toThrow(InvalidMailMessageError);
  });
});
