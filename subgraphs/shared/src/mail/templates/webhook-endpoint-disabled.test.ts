import { describe, expect, test } from 'vitest';
import { InvalidMailMessageError } from '../mail-message.ts';
import { webhookEndpointDisabled, type WebhookEndpointDisabled } from './webhook-endpoint-disabled.ts';

const notice: WebhookEndpointDisabled = {
  to: 'admin@example.com',
  organizationName: 'Acme',
  endpointUrl: 'https://hooks.example.com/tnx',
  description: 'Billing sync',
  reason: 'gone',
  dashboardUrl: 'https://app.example.com/orgs/acme/webhooks',
};

describe('the webhook endpoint disabled notice', () => {
  test('names the endpoint and says it answered 410 Gone', () => {
    const message = webhookEndpointDisabled(notice);
    expect(message.subject).toBe('A webhook endpoint of Acme was disabled');
    expect(message.text).toContain('https://hooks.example.com/tnx (Billing sync) of the organization Acme was disabled');
    expect(message.text).toContain('410 Gone');
    expect(message.html).toContain('<code>https://hooks.example.com/tnx (Billing sync)</code>');
    expect(message.html).toContain('<a href="https://app.example.com/orgs/acme/webhooks">');
  });

  test('says when every retry of a delivery was used up, and leaves out a missing description', () => {
    const message = webhookEndpointDisabled({ ...notice, reason: 'deliveriesExhausted', description: null });
    expect(message.text).toContain('The webhook endpoint https://hooks.example.com/tnx of the organization');
    expect(message.text).toContain('every retry was used up');
    expect(message.text).not.toContain('410');
  });

  test('escapes the endpoint, its description and the organization in the html part', () => {
    const message = webhookEndpointDisabled({
      ...notice,
      organizationName: 'A & B <Co>',
      endpointUrl: 'https://hooks.example.com/"><script>x()</script>',
      description: "<img src=x onerror='y()'>",
    });
    expect(message.html).not.toMatch(/<script|<img/);
    expect(message.html).toContain('<strong>A &amp; B &lt;Co&gt;</strong>');
    expect(message.html).toContain('&quot;&gt;&lt;script&gt;x()&lt;/script&gt; (&lt;img src=x onerror=&#39;y()&#39;&gt;)');
  });

  test('refuses a recipient that would add a header', () => {
    expect(() => webhookEndpointDisabled({ ...notice, to: 'admin@example.com\nBcc: x@example.com' })).toThrow(
      InvalidMailMessageError,
    );
  });

  test('refuses a reason it does not know rather than saying "undefined"', () => {
    const unknown = { ...notice, reason: 'bored' } as unknown as WebhookEndpointDisabled;
    expect(() => webhookEndpointDisabled(unknown)).toThrow('Unknown reason for disabling an endpoint: bored');
  });
});
