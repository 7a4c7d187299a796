import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOrganization, signUpUser, unique, type SignedUpUser } from '../testkit/seed.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

// Limits small enough to reach in a test: two runs in progress per organization, 2 KB of
// output per step, two seconds per run. On a database of its own, since the graph whose
// worker runs a step applies its own limits, and any graph on a database runs its jobs.
const fixture = useTestGraphOnOwnDatabase({
  WORKFLOWS_MAX_CONCURRENT_RUNS: '2',
  WORKFLOWS_MAX_OUTPUT_BYTES: '2048',
  WORKFLOWS_MAX_RUN_SECONDS: '2',
  WORKFLOWS_HTTP_ALLOW_LIST: '127.0.0.1',
  WORKFLOWS_RETRY_BASE_MS: '100',
});

/** Requests to `/hold…`, unanswered until the test releases them: their steps stay RUNNING meanwhile. */
const held: { request: ReceivedRequest; response: ServerResponse }[] = [];
/** The most requests to `/hold…` the receiver had waiting at once. */
let mostHeld = 0;

/**
 * Holds `/hold…` requests, answers `/big…` with a JSON body over the output limit, and
 * anything else with a small one.
 */
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver((request, response) => {
    if (request.path.startsWith('/hold')) {
      held.push({ request, response });
      mostHeld = Math.max(mostHeld, held.length);
      return;
    }
    const body = request.path.startsWith('/big') ? { items: Array.from({ length: 200 }, (_, index) => `item number ${index}`) } : { ok: true };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
afterAll(() => receiver?.close());

const runFields = 'id status error createdAt startedAt finishedAt steps { key status attempts output error }';
const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`;
const run = `mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { ${runFields} } }`;
const read = `query ($id: ID!) { workflowRun(id: $id) { ${runFields} } }`;
const list = `query ($orgId: ID!, $workflowId: ID!) { workflowRuns(orgId: $orgId, workflowId: $workflowId) { edges { node { ${runFields} } } } }`;

interface Run {
  id: string;
  status: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: { key: string; status: string; attempts: number; output: unknown; error: string | null }[];
}

const over = (status: string) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status);
const inProgress = (status: string) => status === 'RUNNING' || status === 'WAITING';

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

async function createWorkflow(owner: SignedUpUser, orgId: string, steps: unknown[]): Promise<string> {
  return (await owner.client.data(create, { orgId, input: { name: `Limited ${unique()}`, trigger: { type: 'MANUAL' }, steps } })).createWorkflow.id;
}

async function startRun(owner: SignedUpUser, workflowId: string, input: Record<string, unknown> = {}): Promise<Run> {
  return (await owner.client.data(run, { id: workflowId, input })).runWorkflow as Run;
}

/** Waits (polling) until `check` holds; fails saying `what` when it never does. */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads the run until it is over (or fails with it as last read). */
async function settled(owner: SignedUpUser, id: string, timeoutMs = 20_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = (await owner.client.data(read, { id })).workflowRun as Run;
    if (over(current.status)) return current;
    if (Date.now() > deadline) throw new Error(`the run is not over after ${timeoutMs} ms: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The most runs whose [startedAt, finishedAt] overlap at one instant (a run ending as another starts is not an overlap). */
function mostAtOnce(runs: Run[]): number {
  const events = runs.flatMap((current) => [
    { at: Date.parse(current.startedAt!), change: 1 },
    { at: Date.parse(current.finishedAt!), change: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.change - b.change);
  let now = 0;
  let most = 0;
  for (const event of events) {
    now += event.change;
    most = Math.max(most, now);
  }
  return most;
}

describe('run limits', () => {
  test("runs beyond the organization's limit wait QUEUED in order, never more than the limit in progress, and another organization is not held up", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const path = `/hold-${unique()}`;
    // Each run's one step waits on the receiver until the test answers it, so the runs stay
    // in progress as long as the test needs (a delay would race the 2 s run time limit).
    const workflowId = await createWorkflow(owner, organization.id, [
      { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${receiver.url}${path}`, body: { n: '{{trigger.input.n}}' } } },
    ]);
    const started: Run[] = [];
    for (let n = 1; n <= 4; n++) started.push(await startRun(owner, workflowId, { n }));
    expect(started.map((current) => current.status)).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);
    expect(started.slice(2).map((current) => current.startedAt)).toEqual([null, null]);
    await until(() => held.length === 2, 'the first two runs reach the receiver');

    const listRuns = async (): Promise<Run[]> =>
      (await owner.client.data(list, { orgId: organization.id, workflowId })).workflowRuns.edges.map((edge: { node: Run }) => edge.node);
    const statusOf = (runs: Run[]) => started.map((mine) => runs.find((current) => current.id === mine.id)!.status);
    expect(statusOf(await listRuns())).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);

    // Another organization's run starts and ends while the first one's queue is full.
    const other = await ownerWithOrganization();
    const otherWorkflowId = await createWorkflow(other.owner, other.organization.id, [
      { key: 'set', type: 'setVariables', input: { variables: { quick: true } } },
    ]);
    const otherRun = await startRun(other.owner, otherWorkflowId);
    expect(otherRun.status).toBe('RUNNING');
    expect((await settled(other.owner, otherRun.id)).status).toBe('SUCCEEDED');
    expect(statusOf(await listRuns())).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);

    // Answer the held requests one at a time, counting the runs in progress at each read.
    let most = 0;
    let runs: Run[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      runs = await listRuns();
      most = Math.max(most, runs.filter((current) => inProgress(current.status)).length);
      if (runs.every((current) => over(current.status)) || Date.now() > deadline) break;
      held.shift()?.response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(runs.map((current) => [current.status, current.error])).toEqual(Array.from({ length: 4 }, () => ['SUCCEEDED', null]));
    expect(most).toBe(2);
    expect(mostHeld).toBe(2);
    expect(mostAtOnce(runs)).toBe(2);
    // The waiting runs started after the first two, in the order they were queued.
    const arrived = receiver.requests.filter((request) => request.path === path).map((request) => JSON.parse(request.body).n);
    expect(arrived.slice(0, 2).sort()).toEqual([1, 2]);
    expect(arrived.slice(2).sort()).toEqual([3, 4]);
    const startOf = (index: number) => Date.parse(runs.find((current) => current.id === started[index]!.id)!.startedAt!);
    expect(startOf(2)).toBeLessThanOrEqual(startOf(3));
  });

  test('a step whose output is over WORKFLOWS_MAX_OUTPUT_BYTES fails the run with [LIMIT_EXCEEDED]', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const path = `/big-${unique()}`;
    const workflowId = await createWorkflow(owner, organization.id, [
      { key: 'fetch', type: 'httpRequest', input: { method: 'GET', url: `${receiver.url}${path}` } },
    ]);
    const done = await settled(owner, (await startRun(owner, workflowId)).id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('Step "fetch" (httpRequest) failed after 1 attempt: [LIMIT_EXCEEDED]');
    expect(done.error).toContain('over the limit of 2048 bytes');
    expect(done.steps).toEqual([expect.objectContaining({ key: 'fetch', status: 'FAILED', attempts: 1, output: null })]);
    // A retry would get the same answer: it was asked once.
    expect(receiver.requests.filter((request) => request.path === path)).toHaveLength(1);
  });

  test('a delay longer than WORKFLOWS_MAX_RUN_SECONDS fails the run with [TIME_LIMIT] without waiting it out', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, [
      { key: 'pause', type: 'delay', input: { duration: 'PT1H' } },
      { key: 'after', type: 'setVariables', input: { variables: { reached: true } } },
    ]);
    const done = await settled(owner, (await startRun(owner, workflowId)).id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('Step "pause" (delay) failed after 1 attempt: [TIME_LIMIT]');
    expect(done.error).toContain('2 s');
    expect(done.steps.map((step) => [step.key, step.status])).toEqual([['pause', 'FAILED']]);
    // It ended within the run's time limit (and a margin for a busy machine), not an hour later.
    expect(Date.parse(done.finishedAt!) - Date.parse(done.startedAt!)).toBeLessThan(10_000);
  });
});
