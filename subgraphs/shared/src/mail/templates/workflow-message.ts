import { html } from '../html.ts';
import { checkMailMessage, oneLine, type MailMessage } from '../mail-message.ts';
import { emailLayout } from './email-layout.ts';

/** An email a workflow's `sendEmail` step sends, its templates already filled in. */
export interface WorkflowMessage {
  to: string;
  subject: string;
  /** Plain text; in the HTML part it is escaped and its line breaks kept. */
  text: string;
  /** The workflow's name, said at the foot so a recipient knows what sent it. */
  workflowName: string;
}

/**
 * The email of a workflow's `sendEmail` step. What the organization wrote (and the
 * variables filled into it, which may come from outside: an inbound webhook's body) is
 * text: escaped in the HTML part, so it can never add markup or links of its own.
 *
 * @throws InvalidMailMessageError when the address is not one.
 */
export function workflowMessage(data: WorkflowMessage): MailMessage {
  const footer = `Sent by the Token Nexus workflow "${oneLine(data.workflowName)}".`;
  const paragraphs = data.text.split(/\n{2,}/);
  return checkMailMessage({
    to: data.to,
    subject: oneLine(data.subject),
    text: [data.text, '', '--', footer, ''].join('\n'),
    html: emailLayout(
      oneLine(data.subject),
      html`${paragraphs.map((paragraph) => html`<p style="white-space: pre-wrap">${paragraph}</p>`)}
<p style="color: #6b6b6b; font-size: 0.9em">${footer}</p>`,
    ),
  });
}
