import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

const fixture = useTestGraph({ WORKFLOWS_HTTP_ALLOW_LIST: '127.0.0.1', WORKFLOWS_RETRY_BASE_MS: '100' });

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver((request, response) => {
    if (request.path.startsWith('/fail')) response.writeHead(503).end('down');
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: JSON.parse(request.body || 'null') }));
  });
});
afterAll(() => receiver.close());

const runFields = `id status error triggerType trigger variables version
  steps { key type status attempts output error startedAt finishedAt }`;
const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id version } }`;
const run = `mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { ${runFields} } }`;
const read = `query ($id: ID!) { workflowRun(id: $id) { ${runFields} } }`;

type Run = { id: string; status: string; error: string | null; variables: Record<string, unknown>; steps: { key: string; status: string; attempts: number; output: any; error: string | null }[] };

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

/** Reads the run until it is over (or the time runs out). */
async function settled(user: SignedUpUser, id: string, timeoutMs = 20_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = (await user.client.data(read, { id })).workflowRun as Run;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status) || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a manual run', () => {
  test('runs setVariables, a condition and an httpRequest in order, with an idempotency key', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflow = (await owner.client.data(create, {
      orgId: organization.id,
      input: {
        name: 'Call out',
        trigger: { type: 'MANUAL' },
        steps: [
          { key: 'prepare', type: 'setVariables', input: { variables: { amount: '{{trigger.input.amount}}', label: 'order {{trigger.input.id}}' } } },
          { key: 'big', type: 'condition', input: { expression: 'vars.amount > 100' }, branches: { ifTrue: 'call', ifFalse: null } },
          { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}/orders`, body: { label: '{{vars.label}}', amount: '{{vars.amount}}' } } },
        ],
      },
    })).createWorkflow as { id: string };
    const started = (await owner.client.data(run, { id: workflow.id, input: { amount: 250, id: 'A-1' } })).runWorkflow as Run;
    const done = await settled(owner, started.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.steps.map((step) => [step.key, step.status])).toEqual([
      ['prepare', 'SUCCEEDED'],
      ['big', 'SUCCEEDED'],
      ['call', 'SUCCEEDED'],
    ]);
    expect(done.variables).toEqual({ amount: 250, label: 'order A-1' });
    const sent = receiver.requests.filter((request) => request.path === '/orders');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({ label: 'order A-1', amount: 250 });
    expect(sent[0]!.headers['idempotency-key']).toMatch(/^wf-/);
  });
});
