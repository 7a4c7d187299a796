import { describe, expect, test } from 'vitest';
import { InvalidMailMessageError } from '../mail-message.ts';
import { membershipInvitation, type MembershipInvitation } from './membership-invitation.ts';

const invitation: MembershipInvitation = {
  to: 'alice@example.com',
  organizationName: 'Acme',
  role: 'ADMIN',
  invitedBy: 'Bob Builder',
  dashboardUrl: 'https://app.example.com/orgs/acme',
};

describe('the membership invitation', () => {
  test('says who added whom to which organization as what, with a link to the dashboard', () => {
    const message = membershipInvitation(invitation);
    expect(message.to).toBe('alice@example.com');
    expect(message.subject).toBe('You were added to Acme on Token Nexus');
    expect(message.text).toContain('Bob Builder added you to the organization Acme as admin.');
    expect(message.text).toContain('https://app.example.com/orgs/acme');
    expect(message.html).toContain('<strong>Acme</strong> as admin.');
    expect(message.html).toContain('<a href="https://app.example.com/orgs/acme">');
  });

  test('escapes every value a user chose in the html part', () => {
    const message = membershipInvitation({
      ...invitation,
      organizationName: '<script>alert(1)</script>',
      invitedBy: '"Mallory" <img src=x onerror=alert(2)>',
      role: '<b>owner</b>',
      dashboardUrl: 'https://app.example.com/orgs/x?a=1&b="2"',
    });
    expect(message.html).not.toMatch(/<script|<img|<b>/);
    expect(message.html).toContain('<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(message.html).toContain('&quot;Mallory&quot; &lt;img src=x onerror=alert(2)&gt;');
    expect(message.html).toContain('href="https://app.example.com/orgs/x?a=1&amp;b=%222%22"');
    // The text part is plain text: it shows the name as it is.
    expect(message.text).toContain('<script>alert(1)</script>');
  });

  test('keeps a line break in the organization name from splitting the subject header', () => {
    const message = membershipInvitation({ ...invitation, organizationName: 'Acme\r\nBcc: everyone@example.com' });
    expect(message.subject).toBe('You were added to Acme Bcc: everyone@example.com on Token Nexus');
    expect(message.subject).not.toMatch(/[\r\n]/);
  });

  test.each([
    'alice@example.com\r\nBcc: everyone@example.com',
    'alice@example.com, everyone@example.com',
    'Alice <alice@example.com>',
    'alice',
    '',
  ])('refuses the recipient %j', (to) => {
    expect(() => membershipInvitation({ ...invitation, to })).toThrow(InvalidMailMessageError);
  });

  test.each(['javascript:alert(1)', 'data:text/html,hi', '/orgs/acme'])('refuses the dashboard link %j', (dashboardUrl) => {
    expect(() => membershipInvitation({ ...invitation, dashboardUrl })).toThrow(
      'A link in a message must be an absolute http(s) URL',
    );
  });
});
