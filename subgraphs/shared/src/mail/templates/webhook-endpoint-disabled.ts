import { html } from '../html.ts';
import { checkMailMessage, InvalidMailMessageError, oneLine, webLink, type MailMessage } from '../mail-message.ts';
import { emailLayout } from './email-layout.ts';

/** Why the platform stopped delivering to an endpoint. */
export type WebhookDisabledReason =
  /** The receiver answered 410 Gone: it asked for no more deliveries. */
  | 'gone'
  /** Every attempt of a delivery failed, over the whole retry schedule. */
  | 'deliveriesExhausted';

/** What the notification says about one disabled endpoint, to one admin. */
export interface WebhookEndpointDisabled {
  /** One admin's address; each admin gets a message of their own. */
  to: string;
  organizationName: string;
  /** The endpoint's URL, shown as text (it is the customer's, not a link of ours). */
  endpointUrl: string;
  /** The description its owner gave it; empty or null when none. */
  description?: string | null;
  reason: WebhookDisabledReason;
  /** Where the organization's webhook endpoints are managed in the dashboard. */
  dashboardUrl: string;
}

const reasons: Record<WebhookDisabledReason, string> = {
  gone: 'The receiver answered 410 Gone, which asks senders to stop delivering.',
  deliveriesExhausted: 'Deliveries kept failing until every retry was used up.',
};

/**
 * The email telling an organization's admins that the platform disabled one of their
 * webhook endpoints, and why. Events are not delivered to it until someone enables it.
 *
 * @throws InvalidMailMessageError when the address, the reason or the dashboard link is not one.
 */
export function webhookEndpointDisabled(data: WebhookEndpointDisabled): MailMessage {
  const link = webLink(data.dashboardUrl);
  const endpoint = data.description ? `${data.endpointUrl} (${data.description})` : data.endpointUrl;
  // Payloads come back from the job table unchecked, possibly from a newer enqueuer.
  const reason = Object.hasOwn(reasons, data.reason) ? reasons[data.reason] : undefined;
  if (!reason) throw new InvalidMailMessageError(`Unknown reason for disabling an endpoint: ${data.reason}`);
  const consequence = 'No events are sent to it until it is enabled again.';
  return checkMailMessage({
    to: data.to,
    subject: `A webhook endpoint of ${oneLine(data.organizationName)} was disabled`,
    text: [
      `The webhook endpoint ${endpoint} of the organization ${data.organizationName} was disabled.`,
      '',
      `${reason} ${consequence}`,
      '',
      `Review it in the dashboard: ${link}`,
      '',
    ].join('\n'),
    html: emailLayout(
      `A webhook endpoint of ${data.organizationName} was disabled`,
      html`<p>The webhook endpoint <code>${endpoint}</code> of the organization <strong>${data.organizationName}</strong> was disabled.</p>
<p>${reason} ${consequence}</p>
<p><a href="${link}">Review it in the dashboard</a></p>`,
    ),
  });
}
