import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { cmsOrganization, createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { unique } from '../testkit/seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/**
 * Erasing a lead (deleteFormSubmission) erases what the visitor sent wherever the platform
 * copied it: the lead, its form.submitted event, the webhook delivery and the workflow run
 * made from it, and its notification mail job. Checked by searching every row of every table for a value only
 * that lead held.
 */
let receiver: WebhookReceiver;
let graph: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  graph = await startTestGraph({ WEBHOOK_ALLOW_LIST: `127.0.0.1:${receiver.port}`, WEBHOOK_DISPATCH_INTERVAL_MS: '100', WORKFLOWS_EVENT_POLL_MS: '100' });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await graph?.close();
  await receiver?.close();
});

/** `schema.table` of every table of the platform's own schemas whose rows (as text) hold `text`. */
async function tablesHolding(text: string): Promise<string[]> {
  const { rows: tables } = await db.query<{ name: string }>(`
    SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public')
    ORDER BY 1`);
  const holding: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name} t WHERE t::text LIKE $1) AS found`, [`%${text}%`]);
    if (rows[0]!.found) holding.push(name);
  }
  return holding;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('deleteFormSubmission', () => {
  test("erases the lead's values from every copy the platform keeps: event, webhook delivery, workflow run, mail job", async () => {
    const cms = await cmsOrganization(graph.client);
    const form = {
      id: 'contact',
      component: 'form',
      props: { fields: [{ name: 'message', type: 'text', label: 'Message', required: true }], notifyEmails: ['sales@example.com'] },
      children: [],
    };
    const page = await createPage(cms.member.client, { orgId: cms.organization.id, slug: `contact-${unique()}`, document: documentOf(hero('top'), form) });
    await publishPage(cms.member.client, page.id);
    await cms.owner.client.data(`mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`, {
      input: { orgId: cms.organization.id, url: `${receiver.url}/hooks`, eventTypes: ['form.submitted'] },
    });
    await cms.owner.client.data(`mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`, {
      orgId: cms.organization.id,
      input: {
        name: 'Note each lead',
        trigger: { type: 'EVENT', eventType: 'form.submitted' },
        steps: [{ key: 'note', type: 'setVariables', input: { variables: { noted: 'yes' } } }],
      },
    });
    const secret = `erase-me-${unique()}`;
    const kept = `keep-me-${unique()}`;
    const submit = async (message: string) =>
      (
        await graph.client.data(
          `mutation ($orgSlug: String!, $pageSlug: String!) { submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: "contact", values: { message: "${message}" }) { id } }`,
          { orgSlug: cms.organization.slug, pageSlug: page.slug },
        )
      ).submitForm.id as string;
    const erased = await submit(secret);
    await submit(kept);
    // Both delivered: the delivery rows exist (a copy each), and the receiver got the values.
    await eventually(async () => receiver.requests.filter((request) => request.body.includes(secret) || request.body.includes(kept)).length, (n) => n === 2);
    // And both started their run.
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM workflows.workflow_runs WHERE organization_id = $1`, [cms.organization.id])).rows[0].n,
      (n) => n === 2,
    );
    const before = await tablesHolding(secret);
    expect(before).toEqual(
      expect.arrayContaining(['cms.form_submissions', 'integrations.webhook_events', 'integrations.webhook_deliveries', 'workflows.workflow_runs', 'jobs.jobs']),
    );

    await cms.owner.client.data(`mutation ($id: ID!) { deleteFormSubmission(id: $id) }`, { id: erased });

    expect(await tablesHolding(secret)).toEqual([]);
    // The other lead and its copies are untouched.
    expect(await tablesHolding(kept)).toEqual(before);
    const event = await db.query(`SELECT data FROM integrations.webhook_events WHERE data->>'submissionId' = $1`, [erased]);
    expect(event.rows[0].data).toMatchObject({ submissionId: erased, formId: 'contact', values: null });
  });
});
