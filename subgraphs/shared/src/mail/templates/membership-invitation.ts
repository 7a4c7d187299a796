import { html } from '../html.ts';
import { checkMailMessage, oneLine, webLink, type MailMessage } from '../mail-message.ts';
import { emailLayout } from './email-layout.ts';

/** What an invitation says: who added whom to which organization, with which role. */
export interface MembershipInvitation {
  /** The new member's address. */
  to: string;
  organizationName: string;
  /** The role they were given, as the API names it (`ADMIN`, `MEMBER`…). */
  role: string;
  /** Who added them, as the dashboard shows that person (name or email). */
  invitedBy: string;
  /** Where the organization opens in the dashboard. */
  dashboardUrl: string;
}

/**
 * The email telling someone they were added to an organization.
 *
 * @throws InvalidMailMessageError when the address or the link is not one.
 */
export function membershipInvitation(data: MembershipInvitation): MailMessage {
  const link = webLink(data.dashboardUrl);
  const role = data.role.toLowerCase();
  return checkMailMessage({
    to: data.to,
    subject: `You were added to ${oneLine(data.organizationName)} on Token Nexus`,
    text: [
      `${data.invitedBy} added you to the organization ${data.organizationName} as ${role}.`,
      '',
      `Open it in the dashboard: ${link}`,
      '',
    ].join('\n'),
    html: emailLayout(
      `You were added to ${data.organizationName}`,
      html`<p>${data.invitedBy} added you to the organization <strong>${data.organizationName}</strong> as ${role}.</p>
<p><a href="${link}">Open it in the dashboard</a></p>`,
    ),
  });
}
