import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { addMember, createOrganization, signUpUser, unique, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/** This file's mail folder: the graph writes every email it sends here as an .eml file. */
const mailDir = mkdtempSync(join(tmpdir(), 'tnx-workflow-mail-'));

// On a database of its own: any graph on a database relays its job outbox, so a graph of
// another file would run this file's steps and emails with its own settings (no allow list
// for the receiver, its own mail folder).
const fixture = useTestGraphOnOwnDatabase({ WORKFLOWS_HTTP_ALLOW_LIST: '127.0.0.1', WORKFLOWS_RETRY_BASE_MS: '100', MAIL_DIR: mailDir });

/** What the receiver answers on a path a test chose; any other path gets 200 and its JSON body echoed. */
const answers = new Map<string, number>();
let receiver: WebhookReceiver;
let fakeOpenAi: FakeOpenAi;
beforeAll(async () => {
  receiver = await startWebhookReceiver((request, response) => {
    const status = answers.get(request.path);
    if (status !== undefined) response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: JSON.parse(request.body || 'null') }));
  });
  fakeOpenAi = await startFakeOpenAi();
});
afterAll(async () => {
  await receiver?.close();
  await fakeOpenAi?.close();
  await rm(mailDir, { recursive: true, force: true });
});

const runFields = `id status error triggerType trigger variables version startedAt finishedAt
  steps { key type status attempts output error startedAt finishedAt }`;
const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id version } }`;
const update = `mutation ($id: ID!, $input: WorkflowInput!, $version: Int!) { updateWorkflow(id: $id, input: $input, version: $version) { id version scopes } }`;
const run = `mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { ${runFields} } }`;
const read = `query ($id: ID!) { workflowRun(id: $id) { ${runFields} } }`;
const cancel = `mutation ($id: ID!) { cancelWorkflowRun(id: $id) { ${runFields} } }`;
const retry = `mutation ($id: ID!) { retryWorkflowRun(id: $id) { ${runFields} } }`;

interface StepRun {
  key: string;
  type: string;
  status: string;
  attempts: number;
  output: any;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Run {
  id: string;
  status: string;
  error: string | null;
  version: number;
  variables: Record<string, any>;
  startedAt: string | null;
  finishedAt: string | null;
  steps: StepRun[];
}

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

/** A MANUAL workflow of these steps (and scopes), created by `user`. */
async function createWorkflow(user: SignedUpUser, orgId: string, steps: unknown[], scopes: string[] = []): Promise<{ id: string; version: number }> {
  const input = { name: `Workflow ${unique()}`, trigger: { type: 'MANUAL' }, steps, scopes };
  return (await user.client.data(create, { orgId, input })).createWorkflow;
}

async function startRun(user: SignedUpUser, workflowId: string, input: Record<string, unknown> = {}): Promise<Run> {
  return (await user.client.data(run, { id: workflowId, input })).runWorkflow as Run;
}

async function readRun(user: SignedUpUser, id: string): Promise<Run> {
  return (await user.client.data(read, { id })).workflowRun as Run;
}

/** Reads the run until `done` holds of it; fails with the run as last read when it never does. */
async function runWhen(user: SignedUpUser, id: string, done: (run: Run) => boolean, what: string, timeoutMs = 20_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await readRun(user, id);
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`the run never became ${what}: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the run until it is over. */
function settled(user: SignedUpUser, id: string, timeoutMs = 20_000): Promise<Run> {
  return runWhen(user, id, (current) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status), 'over', timeoutMs);
}

function stepOf(current: Run, key: string): StepRun {
  const step = current.steps.find((candidate) => candidate.key === key);
  if (!step) throw new Error(`the run has no step ${key}: ${JSON.stringify(current.steps)}`);
  return step;
}

function hitsOn(path: string) {
  return receiver.requests.filter((request) => request.path === path);
}

/** The email sent to `to`, read from the graph's mail folder once the mailer has written it. */
async function mailTo(to: string, timeoutMs = 20_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of (await readdir(mailDir)).filter((name) => name.endsWith('.eml'))) {
      const parsed = await simpleParser(await readFile(join(mailDir, file)));
      const recipients = [parsed.to ?? []].flat().flatMap((address) => address.value.map((entry) => entry.address));
      if (recipients.includes(to)) return parsed;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} arrived in ${mailDir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a manual run', () => {
  test('runs setVariables, a condition and an httpRequest in order, with an idempotency key', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'prepare', type: 'setVariables', input: { variables: { amount: '{{trigger.input.amount}}', label: 'order {{trigger.input.id}}' } } },
      { key: 'big', type: 'condition', input: { expression: 'vars.amount > 100' }, branches: { ifTrue: 'call', ifFalse: null } },
      { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}/orders`, body: { label: '{{vars.label}}', amount: '{{vars.amount}}' } } },
    ]);
    const started = await startRun(owner, workflow.id, { amount: 250, id: 'A-1' });
    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps.map((step) => [step.key, step.status])).toEqual([
      ['prepare', 'SUCCEEDED'],
      ['big', 'SUCCEEDED'],
      ['call', 'SUCCEEDED'],
    ]);
    expect(done.variables).toEqual({ amount: 250, label: 'order A-1' });
    const sent = hitsOn('/orders');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({ label: 'order A-1', amount: 250 });
    expect(sent[0]!.headers['idempotency-key']).toMatch(/^wf-/);
  });
});

describe('each step type', () => {
  test('a delay step holds the run WAITING for its duration, then the run goes on', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'pause', type: 'delay', input: { duration: 'PT1S' } },
      { key: 'after', type: 'setVariables', input: { variables: { woke: true } } },
    ]);
    const started = await startRun(owner, workflow.id);
    const waiting = await runWhen(owner, started.id, (current) => current.status === 'WAITING', 'WAITING');
    expect(waiting.steps.map((step) => [step.key, step.status])).toEqual([['pause', 'WAITING']]);

    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    const pause = stepOf(done, 'pause');
    expect(pause).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const waitedMs = Date.parse(pause.finishedAt!) - Date.parse(pause.startedAt!);
    expect(waitedMs).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(pause.output.waitedUntil)).toBe(Date.parse(pause.startedAt!) + 1000);
    expect(Date.parse(stepOf(done, 'after').startedAt!)).toBeGreaterThanOrEqual(Date.parse(pause.startedAt!) + 1000);
    expect(done.variables).toEqual({ woke: true });
  });

  test('a sendEmail step delivers the rendered email, with run values escaped in its HTML part', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const to = `ops-${unique()}@example.com`;
    const workflow = await createWorkflow(owner, organization.id, [
      {
        key: 'notify',
        type: 'sendEmail',
        input: { to, subject: 'Order {{trigger.input.id}} needs review', body: 'The customer wrote: {{trigger.input.note}}' },
      },
    ]);
    const note = '<script>alert("pwned")</script>';
    const started = await startRun(owner, workflow.id, { id: 'B-7', note });
    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(stepOf(done, 'notify').output).toEqual({ to, subject: 'Order B-7 needs review' });

    const mail = await mailTo(to);
    expect(mail.subject).toBe('Order B-7 needs review');
    expect(mail.text).toContain(`The customer wrote: ${note}`);
    expect(mail.html).toBeTruthy();
    expect(mail.html).not.toContain('<script');
    expect(mail.html).toContain('&lt;script&gt;');
  });

  test("a graphql step reads and writes the graph as the creator with the workflow's scopes, its data in outputVariable", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const slug = `news-${unique()}`;
    const workflow = await createWorkflow(
      owner,
      organization.id,
      [
        {
          key: 'org',
          type: 'graphql',
          input: { query: 'query ($id: ID!) { organization(id: $id) { id name } }', variables: { id: '{{trigger.input.orgId}}' }, outputVariable: 'org' },
        },
        {
          key: 'page',
          type: 'graphql',
          input: {
            query: 'mutation ($input: CreatePageInput!) { createPage(input: $input) { id slug title } }',
            variables: { input: { orgId: '{{vars.org.organization.id}}', slug: '{{trigger.input.slug}}', title: 'News of {{vars.org.organization.name}}' } },
            outputVariable: 'page',
          },
        },
      ],
      ['cms:write', 'organization:read'],
    );
    const started = await startRun(owner, workflow.id, { orgId: organization.id, slug });
    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.variables.org).toEqual({ organization: { id: organization.id, name: organization.name } });
    expect(stepOf(done, 'org').output).toEqual({ data: done.variables.org });
    expect(done.variables.page.createPage).toMatchObject({ slug, title: `News of ${organization.name}` });

    // The page exists, written as the workflow's creator.
    const page = (
      await owner.client.data(`query ($id: ID!) { page(id: $id) { slug title organization { id } createdBy { id } } }`, {
        id: done.variables.page.createPage.id,
      })
    ).page;
    expect(page).toEqual({ slug, title: `News of ${organization.name}`, organization: { id: organization.id }, createdBy: { id: owner.id } });
  });

  test("an aiPrompt step asks the organization's assistant, with the workflow's ai scopes, and keeps the reply in outputVariable", async () => {
    const { owner, organization } = await ownerWithOrganization();
    // The organization's own provider: the fake OpenAI server of this file.
    await owner.client.data(`mutation ($orgId: ID!, $input: UpdateAiSettingsInput!) { updateAiSettings(orgId: $orgId, input: $input) { hasApiKey } }`, {
      orgId: organization.id,
      input: { baseUrl: fakeOpenAi.url, apiKey: 'sk-workflow-test-0123456789' },
    });
    const workflow = await createWorkflow(
      owner,
      organization.id,
      [{ key: 'summarise', type: 'aiPrompt', input: { prompt: 'Summarise this ticket: {{trigger.input.ticket}}', outputVariable: 'summary' } }],
      ['ai:read', 'ai:write'],
    );
    const ticket = `Ticket ${unique()}: the mint button does nothing.`;
    fakeOpenAi.script({ reply: 'A user cannot mint.', chunkSize: 3 });
    const started = await startRun(owner, workflow.id, { ticket });
    const done = await settled(owner, started.id, 30_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.variables).toEqual({ summary: 'A user cannot mint.' });
    expect(stepOf(done, 'summarise').output).toEqual({ text: 'A user cannot mint.' });

    const asked = fakeOpenAi.requests.filter((request) => JSON.stringify(request.body).includes(ticket));
    expect(asked).toHaveLength(1);
    const messages = (asked[0]!.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages.at(-1)).toMatchObject({ role: 'user', content: `Summarise this ticket: ${ticket}` });
    expect(asked[0]!.headers.authorization).toBe('Bearer sk-workflow-test-0123456789');
  });

  test('a condition whose expression is false ends the run on a null ifFalse branch', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const path = `/large-${unique()}`;
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'large', type: 'condition', input: { expression: 'trigger.input.amount > 100' }, branches: { ifTrue: 'call', ifFalse: null } },
      { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}${path}` } },
    ]);
    const done = await settled(owner, (await startRun(owner, workflow.id, { amount: 5 })).id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps.map((step) => [step.key, step.status, step.output])).toEqual([['large', 'SUCCEEDED', { result: false }]]);
    expect(hitsOn(path)).toHaveLength(0);
  });
});

describe('retries', () => {
  /** A run whose `flaky` step (maxAttempts 3) posts to a path answering 503, after a `first` call that succeeds. */
  async function runFailingOn503() {
    const { owner, organization } = await ownerWithOrganization();
    const firstPath = `/first-${unique()}`;
    const flakyPath = `/flaky-${unique()}`;
    answers.set(flakyPath, 503);
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'prepare', type: 'setVariables', input: { variables: { order: '{{trigger.input.order}}' } } },
      { key: 'first', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}${firstPath}`, body: { order: '{{vars.order}}' } } },
      { key: 'flaky', type: 'httpRequest', maxAttempts: 3, input: { method: 'POST', url: `${receiver.url}${flakyPath}`, body: { order: '{{vars.order}}' } } },
    ]);
    const failed = await settled(owner, (await startRun(owner, workflow.id, { order: 'C-3' })).id);
    return { owner, firstPath, flakyPath, failed };
  }

  test('a step answered 503 is tried maxAttempts times with one Idempotency-Key, then fails the run naming it', async () => {
    const { firstPath, flakyPath, failed } = await runFailingOn503();
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('Step "flaky" (httpRequest) failed after 3 attempts');
    expect(failed.error).toContain('HTTP_503');
    expect(stepOf(failed, 'flaky')).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(stepOf(failed, 'first')).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    const sent = hitsOn(flakyPath);
    expect(sent).toHaveLength(3);
    const keys = new Set(sent.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^wf-[0-9a-f]{32}$/);
    // Another step of the run has a key of its own.
    expect(hitsOn(firstPath)[0]!.headers['idempotency-key']).not.toBe([...keys][0]);
  });

  test('retryWorkflowRun resumes from the failed step once it can pass, without running the steps that succeeded again', async () => {
    const { owner, firstPath, flakyPath, failed } = await runFailingOn503();
    expect(failed.status).toBe('FAILED');
    answers.set(flakyPath, 200);
    const retried = (await owner.client.data(retry, { id: failed.id })).retryWorkflowRun as Run;
    expect(['QUEUED', 'RUNNING']).toContain(retried.status);
    expect(retried.error).toBeNull();

    const done = await settled(owner, failed.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps.map((step) => [step.key, step.status, step.attempts])).toEqual([
      ['prepare', 'SUCCEEDED', 1],
      ['first', 'SUCCEEDED', 1],
      ['flaky', 'SUCCEEDED', 4],
    ]);
    expect(hitsOn(firstPath)).toHaveLength(1);
    const sent = hitsOn(flakyPath);
    expect(sent).toHaveLength(4);
    // The retry is the same logical request: a receiver that saw it succeed drops it.
    expect(new Set(sent.map((request) => request.headers['idempotency-key'])).size).toBe(1);
    expect(stepOf(done, 'flaky').output).toMatchObject({ status: 200, body: { status: 200 } });
  });

  test('a 404 answer fails the run at once, without another attempt', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const path = `/gone-${unique()}`;
    answers.set(path, 404);
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'call', type: 'httpRequest', maxAttempts: 5, input: { method: 'GET', url: `${receiver.url}${path}` } },
    ]);
    const done = await settled(owner, (await startRun(owner, workflow.id)).id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('Step "call" (httpRequest) failed after 1 attempt:');
    expect(done.error).toContain('[HTTP_404]');
    expect(stepOf(done, 'call')).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(hitsOn(path)).toHaveLength(1);
  });
});

describe('acting as the creator', () => {
  const readOrganization = (key: string) => ({
    key,
    type: 'graphql',
    input: { query: 'query ($id: ID!) { organization(id: $id) { id name } }', variables: { id: '{{trigger.input.orgId}}' }, outputVariable: 'org' },
  });

  test('a mutation needing a scope the workflow was not given fails the run with [FORBIDDEN] and writes nothing', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(
      owner,
      organization.id,
      [
        {
          key: 'page',
          type: 'graphql',
          maxAttempts: 3,
          input: {
            query: 'mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }',
            variables: { input: { orgId: organization.id, slug: `nope-${unique()}`, title: 'Not allowed' } },
          },
        },
      ],
      ['organization:read'],
    );
    const done = await settled(owner, (await startRun(owner, workflow.id)).id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('Step "page" (graphql) failed after 1 attempt: [FORBIDDEN]');
    expect(done.error).toContain('cms:write');
    expect(stepOf(done, 'page').attempts).toBe(1);
    const pages = await fixture.db.query('SELECT count(*)::int AS count FROM cms.pages WHERE organization_id = $1', [organization.id]);
    expect(pages.rows[0].count).toBe(0);
  });

  test('once its creator is removed from the organization, the next run fails with [FORBIDDEN] saying so', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const admin = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, admin, 'ADMIN');
    const workflow = await createWorkflow(admin, organization.id, [readOrganization('org')], ['organization:read']);

    const before = await settled(owner, (await startRun(owner, workflow.id, { orgId: organization.id })).id);
    expect(before.error).toBeNull();
    expect(before.variables.org).toEqual({ organization: { id: organization.id, name: organization.name } });

    await owner.client.data(`mutation ($orgId: ID!, $userId: ID!) { removeMember(orgId: $orgId, userId: $userId) }`, {
      orgId: organization.id,
      userId: admin.id,
    });
    const after = await settled(owner, (await startRun(owner, workflow.id, { orgId: organization.id })).id);
    expect(after.status).toBe('FAILED');
    expect(after.error).toContain('[FORBIDDEN]');
    expect(after.error).toContain(`user ${admin.id}`);
    expect(after.error).toContain('no longer a member of the organization');
    expect(stepOf(after, 'org')).toMatchObject({ status: 'FAILED', attempts: 1, output: null });
    expect(after.variables).toEqual({});
  });

  test('a scope taken away by updateWorkflow no longer applies from the next run', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const steps = [readOrganization('org')];
    const workflow = await createWorkflow(owner, organization.id, steps, ['organization:read']);
    const before = await settled(owner, (await startRun(owner, workflow.id, { orgId: organization.id })).id);
    expect(before.error).toBeNull();
    expect(before.status).toBe('SUCCEEDED');

    const changed = (
      await owner.client.data(update, { id: workflow.id, version: 1, input: { name: 'Fewer scopes', trigger: { type: 'MANUAL' }, steps, scopes: [] } })
    ).updateWorkflow;
    expect(changed).toMatchObject({ version: 2, scopes: [] });
    const after = await settled(owner, (await startRun(owner, workflow.id, { orgId: organization.id })).id);
    expect(after.version).toBe(2);
    expect(after.status).toBe('FAILED');
    expect(after.error).toContain('[FORBIDDEN]');
    expect(after.error).toContain('organization:read');
  });
});

describe('cancelling and retrying', () => {
  test('cancelling a run in a delay ends it and its step CANCELLED, the step after never runs, and a second cancel is refused', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const path = `/after-${unique()}`;
    const workflow = await createWorkflow(owner, organization.id, [
      { key: 'pause', type: 'delay', input: { duration: 'PT30S' } },
      { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}${path}` } },
    ]);
    const started = await startRun(owner, workflow.id);
    await runWhen(owner, started.id, (current) => current.status === 'WAITING', 'WAITING');

    const cancelled = (await owner.client.data(cancel, { id: started.id })).cancelWorkflowRun as Run;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.error).toBe('Cancelled by cancelWorkflowRun.');
    expect(cancelled.finishedAt).not.toBeNull();
    expect(cancelled.steps.map((step) => [step.key, step.status])).toEqual([['pause', 'CANCELLED']]);

    const again = await owner.client.request(cancel, { id: started.id });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors![0]!.message).toContain('CANCELLED');

    const later = await readRun(owner, started.id);
    expect(later.status).toBe('CANCELLED');
    expect(later.steps.map((step) => [step.key, step.status])).toEqual([['pause', 'CANCELLED']]);
    expect(hitsOn(path)).toHaveLength(0);
  });

  test('retrying a run that succeeded is refused with BAD_USER_INPUT and changes nothing', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(owner, organization.id, [{ key: 'set', type: 'setVariables', input: { variables: { done: true } } }]);
    const done = await settled(owner, (await startRun(owner, workflow.id)).id);
    expect(done.status).toBe('SUCCEEDED');

    const refused = await owner.client.request(retry, { id: done.id });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toContain('SUCCEEDED');
    expect(await readRun(owner, done.id)).toEqual(done);
  });
});

describe('versions', () => {
  test('a run keeps the version it started with when the workflow changes under it', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const definition = (which: string) => ({
      name: 'Versioned',
      trigger: { type: 'MANUAL' },
      steps: [
        { key: 'pause', type: 'delay', input: { duration: 'PT3S' } },
        { key: 'mark', type: 'setVariables', input: { variables: { which } } },
      ],
    });
    const workflow = (await owner.client.data(create, { orgId: organization.id, input: definition('old') })).createWorkflow;
    const started = await startRun(owner, workflow.id);
    await runWhen(owner, started.id, (current) => current.status === 'WAITING', 'WAITING');

    const changed = (await owner.client.data(update, { id: workflow.id, version: 1, input: definition('new') })).updateWorkflow;
    expect(changed.version).toBe(2);
    // The change landed while the run was still in its delay.
    expect((await readRun(owner, started.id)).steps.map((step) => step.key)).toEqual(['pause']);

    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.version).toBe(1);
    expect(stepOf(done, 'mark').output).toEqual({ which: 'old' });
    expect(done.variables).toEqual({ which: 'old' });

    const next = await startRun(owner, workflow.id);
    expect(next.version).toBe(2);
  });
});

describe('refused definitions and runs', () => {
  test('maxAttempts below 1 or above 10 is refused, naming the step', async () => {
    const { owner, organization } = await ownerWithOrganization();
    for (const maxAttempts of [0, 11]) {
      const response = await owner.client.request(create, {
        orgId: organization.id,
        input: {
          name: 'Too many',
          trigger: { type: 'MANUAL' },
          steps: [
            { key: 'set', type: 'setVariables', input: { variables: { a: 1 } } },
            { key: 'call', type: 'httpRequest', maxAttempts, input: { method: 'GET', url: 'https://example.com/' } },
          ],
        },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message).toContain('steps[1] (call).maxAttempts');
    }
    const listed = await owner.client.data(`query ($orgId: ID!) { workflows(orgId: $orgId) { edges { node { id } } } }`, { orgId: organization.id });
    expect(listed.workflows.edges).toEqual([]);
  });

  test('a run whose input is a JSON array is refused', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(owner, organization.id, [{ key: 'set', type: 'setVariables', input: { variables: { a: 1 } } }]);
    const response = await owner.client.request(run, { id: workflow.id, input: [1, 2, 3] });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('input: must be a JSON object');
    const runs = await owner.client.data(`query ($orgId: ID!) { workflowRuns(orgId: $orgId) { edges { node { id } } } }`, { orgId: organization.id });
    expect(runs.workflowRuns.edges).toEqual([]);
  });

  test('a disabled workflow cannot be run', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = await createWorkflow(owner, organization.id, [{ key: 'set', type: 'setVariables', input: { variables: { a: 1 } } }]);
    await owner.client.data(`mutation ($id: ID!) { setWorkflowEnabled(id: $id, enabled: false) { enabled } }`, { id: workflow.id });
    const response = await owner.client.request(run, { id: workflow.id });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('disabled');
    const runs = await owner.client.data(`query ($orgId: ID!) { workflowRuns(orgId: $orgId) { edges { node { id } } } }`, { orgId: organization.id });
    expect(runs.workflowRuns.edges).toEqual([]);
  });
});
