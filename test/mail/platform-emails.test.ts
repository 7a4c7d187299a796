import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { cmsOrganization, createPage, documentOf, publishPage } from '../testkit/cms-seed.ts';
import { addMember, createOrganization, signUpUser, unique } from '../testkit/seed.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../testkit/smtp-receiver.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/**
 * The platform's emails from the real graph to a real SMTP server, on a database of this
 * file's own (mail jobs are shared by every graph on a database, and another file's graph
 * would write them to its own folder).
 */
let database: ScratchDatabase;
let smtp: SmtpReceiver;
let gone: WebhookReceiver;
let graph: TestGraph;
beforeAll(async () => {
  smtp = await startSmtpReceiver({ user: 'relay', pass: 'p@ss word' });
  gone = await startWebhookReceiver((_request, response) => response.writeHead(410).end('gone'));
  database = await createScratchDatabase();
  graph = await startTestGraph(
    {
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      DASHBOARD_URL: 'https://dash.example.com',
      WEBHOOK_ALLOW_LIST: `127.0.0.1:${gone.port}`,
    },
    { migrate: true },
  );
});
afterAll(async () => {
  await graph?.close();
  await database?.drop();
  await smtp?.close();
  await gone?.close();
});

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('platform emails', () => {
  test('adding a member sends them one email through SMTP, retried after a transient refusal; a refused addition sends none', async () => {
    const owner = await signUpUser(graph.client, { displayName: 'Ada Owner' });
    const organization = await createOrganization(owner, { name: 'Acme <Labs>' });
    const member = await signUpUser(graph.client);
    smtp.refusals.push({ code: 451, text: 'try again later' });

    await addMember(owner, organization.id, member, 'ADMIN');
    const again = await owner.client.request(
      `mutation ($orgId: ID!, $email: String!) { addMember(orgId: $orgId, email: $email, role: VIEWER) { role } }`,
      { orgId: organization.id, email: member.email },
    );
    expect(errorCodes(again)).toEqual(['CONFLICT']);

    const toMember = () => smtp.received.filter((mail) => mail.envelope.to.includes(member.email));
    const received = await until(toMember, (mails) => mails.length > 0);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail!.parsed.subject).toContain('Acme <Labs>');
    expect(mail!.parsed.text).toContain('Ada Owner');
    expect(mail!.parsed.text).toContain('https://dash.example.com');
    expect(mail!.parsed.html).toContain('Acme &lt;Labs&gt;');
    // The refused attempt was retried, and the conflicting addition enqueued nothing.
    expect(smtp.refusals).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(toMember()).toHaveLength(1);
    // Operators see the queues on the subgraph's readiness endpoint.
    const ready = await fetch(new URL('/health/ready', graph.subgraphs.identity.url));
    const { jobs } = (await ready.json()) as { jobs: Record<string, Record<string, number>> };
    expect(jobs['mail.send']).toMatchObject({ queued: 0, running: 0, failed: 0 });
    expect(jobs['mail.send']!.completed).toBeGreaterThanOrEqual(1);
  });

  test("an endpoint disabled by a 410 is reported to each of the organization's OWNERs and ADMINs, once", async () => {
    const owner = await signUpUser(graph.client);
    const organization = await createOrganization(owner, { name: 'Hooked Inc' });
    const admin = await signUpUser(graph.client);
    const viewer = await signUpUser(graph.client);
    await addMember(owner, organization.id, admin, 'ADMIN');
    await addMember(owner, organization.id, viewer, 'VIEWER');
    const created = await owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { orgId: organization.id, url: `${gone.url}/old`, eventTypes: ['member.added'], description: 'CRM sync' } },
    );
    const test = await owner.client.data(`mutation ($id: ID!) { testWebhook(endpointId: $id) { status } }`, {
      id: created.createWebhookEndpoint.endpoint.id,
    });
    expect(test.testWebhook.status).toBe('FAILED');

    const notices = () => smtp.received.filter((mail) => mail.parsed.subject?.includes('disabled'));
    const received = await until(notices, (mails) => mails.length >= 2);
    expect(received.map((mail) => mail.envelope.to).flat().sort()).toEqual([admin.email, owner.email].sort());
    expect(received[0]!.parsed.text).toContain(`${gone.url}/old`);
    expect(received[0]!.parsed.text).toContain('410');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(notices()).toHaveLength(2);
  });

  test('a form submission is mailed to each address the form names, the visitor\'s text escaped', async () => {
    const { organization, member } = await cmsOrganization(graph.client);
    const inbox = [`sales-${unique()}@example.com`, `support-${unique()}@example.com`];
    const form = {
      id: 'contact',
      component: 'form',
      props: {
        fields: [
          { name: 'name', type: 'text', label: 'Your name', required: true },
          { name: 'message', type: 'text', label: 'Message' },
        ],
        notifyEmails: inbox,
      },
    };
    const page = await createPage(member.client, { orgId: organization.id, slug: `contact-${unique()}`, document: documentOf(form) });
    await publishPage(member.client, page.id);
    const { submitForm } = await graph.client.data(
      `mutation ($orgSlug: String!, $pageSlug: String!, $values: JSON!) { submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: "contact", values: $values) { id } }`,
      { orgSlug: organization.slug, pageSlug: page.slug, values: { name: 'Ada <b>Lovelace</b>', message: 'Call me' } },
    );

    const toInbox = () => smtp.received.filter((mail) => inbox.some((address) => mail.envelope.to.includes(address)));
    const received = await until(toInbox, (mails) => mails.length >= 2);
    expect(received.map((mail) => mail.envelope.to).flat().sort()).toEqual([...inbox].sort());
    for (const mail of received) {
      expect(mail.parsed.subject).toBe(`New form submission on ${page.slug}`);
      expect(mail.parsed.text).toContain('Your name: Ada <b>Lovelace</b>');
      expect(mail.parsed.text).toContain(submitForm.id);
      expect(mail.parsed.html).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;');
    }
  });
});
