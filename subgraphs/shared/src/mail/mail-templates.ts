import type { MailMessage } from './mail-message.ts';
import { formSubmissionReceived } from './templates/form-submission-received.ts';
import { membershipInvitation } from './templates/membership-invitation.ts';
import { webhookEndpointDisabled } from './templates/webhook-endpoint-disabled.ts';
import { workflowMessage } from './templates/workflow-message.ts';

/** Every kind of email the platform sends, by the name a job payload gives it. */
export const mailTemplates = {
  formSubmissionReceived,
  membershipInvitation,
  webhookEndpointDisabled,
  workflowMessage,
} satisfies Record<string, (data: never) => MailMessage>;

export type MailTemplateName = keyof typeof mailTemplates;

/** A template's name with the data it takes, e.g. `{ template: 'membershipInvitation', data: {…} }`. */
export type MailTemplateRequest = {
  [Name in MailTemplateName]: { template: Name; data: Parameters<(typeof mailTemplates)[Name]>[0] };
}[MailTemplateName];

/**
 * Builds the message a request asks for.
 *
 * @throws InvalidMailMessageError when its data cannot make a safe message.
 * @throws Error naming an unknown template.
 */
export function renderMailTemplate(request: MailTemplateRequest): MailMessage {
  if (!Object.hasOwn(mailTemplates, request.template)) {
    throw new Error(`Unknown mail template: ${request.template}`);
  }
  // The union of requests pairs each name with its data; TypeScript cannot follow that
  // pairing through the lookup, so the call is widened once here.
  const template = mailTemplates[request.template] as (data: MailTemplateRequest['data']) => MailMessage;
  return template(request.data);
}
