import { html } from '../html.ts';
import { checkMailMessage, oneLine, type MailMessage } from '../mail-message.ts';
import { emailLayout } from './email-layout.ts';

/** What the notification of one lead says, to one of the addresses its form names. */
export interface FormSubmissionReceived {
  to: string;
  /** The page's slug, e.g. `contact`. */
  pageSlug: string;
  /** The id of the form's node. */
  formId: string;
  /** The lead's id, to find it in `formSubmissions`. */
  submissionId: string;
  /** ISO 8601. */
  submittedAt: string;
  /** Each value given, with its field's label, in the form's order. */
  values: { label: string; value: string }[];
}

/**
 * The email telling the addresses a form names that a visitor sent it. Everything in it
 * but our own words came from an anonymous visitor or an editor: it is text, escaped in
 * the HTML part, and the subject holds only the page's slug (a slug cannot hold markup or
 * line breaks).
 *
 * @throws InvalidMailMessageError when the address is not one.
 */
export function formSubmissionReceived(data: FormSubmissionReceived): MailMessage {
  const subject = `New form submission on ${oneLine(data.pageSlug)}`;
  const intro = `A visitor sent the form "${data.formId}" of the page ${data.pageSlug} at ${data.submittedAt}.`;
  const footer = `Submission ${data.submissionId}. You receive this because the form lists your address.`;
  return checkMailMessage({
    to: data.to,
    subject,
    text: [intro, '', ...data.values.map(({ label, value }) => `${label}: ${value}`), '', '--', footer, ''].join('\n'),
    html: emailLayout(
      subject,
      html`<p>${intro}</p>
<table>${data.values.map(({ label, value }) => html`<tr><th align="left" valign="top">${label}</th><td style="white-space: pre-wrap">${value}</td></tr>`)}</table>
<p style="color: #6b6b6b; font-size: 0.9em">${footer}</p>`,
    ),
  });
}
