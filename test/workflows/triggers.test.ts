import { randomUUID } from 'node:crypto';
import { signPayload } from '@token-nexus/shared';
import pg from 'pg';
import { describe, expect, inject, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { createPage, publishPage } from '../testkit/cms-seed.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph({
  WORKFLOWS_EVENT_POLL_MS: '100',
  WORKFLOWS_SCHEDULER_INTERVAL_MS: '100',
  WORKFLOWS_HTTP_ALLOW_LIST: '127.0.0.1',
  WORKFLOWS_RETRY_BASE_MS: '100',
});

/** A run as these tests read it through the API. */
interface Run {
  id: string;
  workflowId: string;
  status: string;
  error: string | null;
  triggerType: string;
  trigger: Record<string, any>;
  variables: Record<string, unknown>;
  causation: string[];
  steps: { key: string; status: string }[];
}

const runFields = 'id workflowId status error triggerType trigger variables causation steps { key status }';
const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`;
const setEnabled = `mutation ($id: ID!, $enabled: Boolean!) { setWorkflowEnabled(id: $id, enabled: $enabled) { enabled } }`;
const runNow = `mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { ${runFields} } }`;
const cancel = `mutation ($id: ID!) { cancelWorkflowRun(id: $id) { ${runFields} } }`;
const retry = `mutation ($id: ID!) { retryWorkflowRun(id: $id) { id } }`;
const readRun = `query ($id: ID!) { workflowRun(id: $id) { ${runFields} } }`;
// Lists leave out steps: a page of runs with their steps costs more than a query may.
const listRuns = `query ($orgId: ID!, $workflowId: ID) {
  workflowRuns(orgId: $orgId, workflowId: $workflowId, first: 30) { edges { node { id workflowId status error triggerType trigger causation } } }
}`;

/** A step that only succeeds: enough to see a run go through. */
const noteStep = { key: 'note', type: 'setVariables', input: { variables: { noted: 'yes' } } };
/** A step that keeps its run in progress (WAITING) for the whole test. */
const waitStep = { key: 'wait', type: 'delay', input: { duration: 'PT1H' } };

async function ownerWithOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, organization };
}

async function createWorkflow(owner: SignedUpUser, orgId: string, input: Record<string, unknown>): Promise<string> {
  return ((await owner.client.data(create, { orgId, input })).createWorkflow as { id: string }).id;
}

/** Calls `read` until `done` holds for its answer; fails naming `what` when time runs out. */
async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last saw ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The workflow's runs (the 30 newest), oldest first, without their steps and variables. */
async function runsOf(user: SignedUpUser, orgId: string, workflowId: string): Promise<Omit<Run, 'steps' | 'variables'>[]> {
  const data = await user.client.data(listRuns, { orgId, workflowId });
  return (data.workflowRuns.edges as { node: Run }[]).map((edge) => edge.node).reverse();
}

/** Reads the run until it is over. */
function settled(user: SignedUpUser, id: string): Promise<Run> {
  return eventually(
    `run ${id} is over`,
    async () => (await user.client.data(readRun, { id })).workflowRun as Run,
    (run) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status),
  );
}

/** Starts a run by hand and waits until its delay step holds it. */
async function waitingRun(owner: SignedUpUser, workflowId: string): Promise<Run> {
  const started = (await owner.client.data(runNow, { id: workflowId })).runWorkflow as Run;
  return eventually(
    `run ${started.id} is WAITING`,
    async () => (await owner.client.data(readRun, { id: started.id })).workflowRun as Run,
    (run) => run.status === 'WAITING',
  );
}

/** The outbox row `addMember` recorded for this user joining the organization. */
async function memberAddedEvent(orgId: string, userId: string): Promise<{ id: string; createdAt: Date }> {
  const rows = await fixture.db.query(
    `SELECT id, created_at AS "createdAt" FROM integrations.webhook_events
     WHERE organization_id = $1 AND type = 'member.added' AND data->>'userId' = $2`,
    [orgId, userId],
  );
  expect(rows.rows).toHaveLength(1);
  return rows.rows[0];
}

/** Waits until the event trigger has read the event (its receipt is written with the runs it started, in one transaction). */
async function handled(eventId: string): Promise<void> {
  await eventually(
    `event ${eventId} is read by the event trigger`,
    async () => (await fixture.db.query('SELECT 1 FROM workflows.workflow_event_receipts WHERE event_id = $1', [eventId])).rowCount,
    (count) => count === 1,
  );
}

describe('an EVENT trigger', () => {
  test('starts exactly one run per matching event and none for an event its filter does not match, with the event as its trigger', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, {
      name: 'Greet admins',
      trigger: { type: 'EVENT', eventType: 'member.added', filter: { role: 'ADMIN' } },
      steps: [{ key: 'greet', type: 'setVariables', input: { variables: { greeted: '{{trigger.event.data.userId}}' } } }],
    });
    const [firstAdmin, member, secondAdmin] = await Promise.all([1, 2, 3].map(() => signUpUser(fixture.graph.client)));
    await addMember(owner, organization.id, firstAdmin!, 'ADMIN');
    await addMember(owner, organization.id, member!, 'MEMBER');
    await addMember(owner, organization.id, secondAdmin!, 'ADMIN');
    const events = await Promise.all([firstAdmin!, member!, secondAdmin!].map((user) => memberAddedEvent(organization.id, user.id)));
    for (const event of events) await handled(event.id);

    // Both events may be read in one round, so their runs may share a creation time: matched by event.
    const runs = await runsOf(owner, organization.id, workflowId);
    expect(runs).toHaveLength(2);
    for (const [event, admin] of [
      [events[0]!, firstAdmin!],
      [events[2]!, secondAdmin!],
    ] as const) {
      const run = runs.find((candidate) => candidate.trigger.event.id === event.id);
      expect(run).toMatchObject({
        triggerType: 'EVENT',
        causation: [],
        trigger: { event: { type: 'member.added', data: { userId: admin.id, role: 'ADMIN' } } },
      });
      const done = await settled(owner, run!.id);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.variables).toEqual({ greeted: admin.id });
    }
    const perEvent = await fixture.db.query(
      'SELECT dedupe_key AS "dedupeKey", count(*)::int AS n FROM workflows.workflow_runs WHERE workflow_id = $1 GROUP BY dedupe_key',
      [workflowId],
    );
    expect(perEvent.rows).toHaveLength(2);
    expect(perEvent.rows).toEqual(
      expect.arrayContaining([events[0]!, events[2]!].map((event) => ({ dedupeKey: `event:${event.id}`, n: 1 }))),
    );
  });

  test('an event committed late, stamped before what the trigger had already read, still starts its run', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, {
      name: 'Count joins',
      trigger: { type: 'EVENT', eventType: 'member.added' },
      steps: [noteStep],
    });
    // A domain's slow transaction: the event is stamped when it begins and seen only once it commits.
    const slow = new pg.Client({ connectionString: inject('databaseUrl') });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const late = (
        await slow.query(
          `INSERT INTO integrations.webhook_events (id, organization_id, type, data, created_at)
           VALUES ($1, $2, 'member.added', $3, now()) RETURNING id, created_at AS "createdAt"`,
          [randomUUID(), organization.id, JSON.stringify({ userId: randomUUID(), role: 'VIEWER' })],
        )
      ).rows[0] as { id: string; createdAt: Date };
      // Meanwhile a later event commits and is read: the trigger's cursor moves past the slow one.
      const viewer = await signUpUser(fixture.graph.client);
      await addMember(owner, organization.id, viewer, 'VIEWER');
      const meanwhile = await memberAddedEvent(organization.id, viewer.id);
      await handled(meanwhile.id);
      const cursor = (await fixture.db.query('SELECT read_up_to AS "readUpTo" FROM workflows.workflow_event_cursor WHERE id = 1')).rows[0];
      expect(cursor.readUpTo.getTime()).toBeGreaterThan(late.createdAt.getTime());
      expect((await runsOf(owner, organization.id, workflowId)).map((run) => run.trigger.event.id)).toEqual([meanwhile.id]);

      await slow.query('COMMIT');
      await handled(late.id);
      const runs = await runsOf(owner, organization.id, workflowId);
      expect(runs.map((run) => run.trigger.event.id)).toEqual([meanwhile.id, late.id]);
      expect((await settled(owner, runs[1]!.id)).status).toBe('SUCCEEDED');
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      await slow.end();
    }
  });

  test('a disabled workflow starts no run for a matching event', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, {
      name: 'Off',
      trigger: { type: 'EVENT', eventType: 'member.added' },
      steps: [noteStep],
    });
    await owner.client.data(setEnabled, { id: workflowId, enabled: false });
    const joiner = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, joiner, 'MEMBER');
    await handled((await memberAddedEvent(organization.id, joiner.id)).id);
    expect(await runsOf(owner, organization.id, workflowId)).toEqual([]);
  });

  test('a workflow whose step causes its own trigger event runs five times in a chain, and the sixth run fails as a loop', async () => {
    // addMember declares no scope, so no workflow (a scoped caller) may call it; publishing
    // a page (cms:write) is the self-triggering step instead.
    const { owner, organization } = await ownerWithOrganization();
    const page = await createPage(owner.client, { orgId: organization.id });
    const workflowId = await createWorkflow(owner, organization.id, {
      name: 'Republish for ever',
      trigger: { type: 'EVENT', eventType: 'page.published', filter: { pageId: page.id } },
      steps: [
        {
          key: 'republish',
          type: 'graphql',
          input: { query: 'mutation ($id: ID!) { publishPage(id: $id) { id } }', variables: { id: '{{trigger.event.data.pageId}}' } },
          maxAttempts: 1,
        },
      ],
      scopes: ['cms:write'],
    });
    await publishPage(owner.client, page.id);

    const found = await eventually(
      'a run of the chain fails',
      () => runsOf(owner, organization.id, workflowId),
      (runs) => runs.some((run) => run.status === 'FAILED'),
      90_000,
    );
    const runs = await Promise.all(found.map((run) => settled(owner, run.id)));
    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED']);
    const ids = runs.map((run) => run.id);
    runs.forEach((run, index) => expect(run.causation, `run ${index + 1}`).toEqual(ids.slice(0, index)));
    expect(runs[5]!.error).toMatch(/^Loop stopped/);
    expect(runs[5]!.steps).toEqual([]);
    // The owner's publish and one by each of the five runs; the stopped run published nothing.
    const revisions = await fixture.db.query('SELECT count(*)::int AS n FROM cms.page_revisions WHERE page_id = $1', [page.id]);
    expect(revisions.rows[0].n).toBe(6);
    // The sixth run's own event was never raised, so nothing follows it.
    const chained = await fixture.db.query(
      'SELECT max(cardinality(causation))::int AS deepest, count(*)::int AS n FROM workflows.workflow_runs WHERE workflow_id = $1',
      [workflowId],
    );
    expect(chained.rows[0]).toEqual({ deepest: 5, n: 6 });
  }, 120_000);
});

describe('a SCHEDULE trigger', () => {
  test('starts one run per tick of a seconds cron in its time zone, and none once disabled', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, {
      name: 'Every other second',
      trigger: { type: 'SCHEDULE', cron: '*/2 * * * * *', timeZone: 'Europe/Berlin' },
      steps: [noteStep],
    });
    // Two ticks come at most four seconds after creation; the margin is for a loaded machine.
    const runs = await eventually('two ticks started runs', () => runsOf(owner, organization.id, workflowId), (found) => found.length >= 2, 10_000);
    for (const run of runs) {
      expect(run.triggerType).toBe('SCHEDULE');
      const tick = new Date(run.trigger.tick.scheduledFor as string);
      expect(tick.getUTCMilliseconds()).toBe(0);
      expect(tick.getUTCSeconds() % 2).toBe(0);
    }
    expect(new Set(runs.map((run) => run.trigger.tick.scheduledFor)).size).toBe(runs.length);

    await owner.client.data(setEnabled, { id: workflowId, enabled: false });
    const atDisable = await fixture.db.query('SELECT count(*)::int AS n FROM workflows.workflow_runs WHERE workflow_id = $1', [workflowId]);
    expect((await fixture.db.query('SELECT 1 FROM workflows.workflow_schedules WHERE workflow_id = $1', [workflowId])).rowCount).toBe(0);
    // Nothing to poll for when nothing must happen: wait out two more ticks.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const perTick = await fixture.db.query(
      `SELECT trigger_payload->'tick'->>'scheduledFor' AS tick, dedupe_key, count(*)::int AS n
       FROM workflows.workflow_runs WHERE workflow_id = $1 GROUP BY 1, 2`,
      [workflowId],
    );
    // Every graph on this database runs a schedule keeper: still one run per tick.
    expect(perTick.rows.length).toBe(atDisable.rows[0].n);
    for (const row of perTick.rows) expect(row).toEqual({ tick: row.tick, dedupe_key: `tick:${row.tick}`, n: 1 });
  }, 60_000);
});

describe('an INBOUND trigger', () => {
  const readInbound = `query ($id: ID!) { workflow(id: $id) { id inbound { path secret } } }`;

  /** POSTs `body` to the gateway at `path`, signed over `signedBody` (the body unless told). */
  async function send(path: string, secret: string, message: { id: string; body: string; timestamp?: number; signedBody?: string }) {
    const timestamp = message.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = signPayload({ id: message.id, timestamp, body: message.signedBody ?? message.body, secrets: [secret] });
    const response = await fetch(new URL(path, fixture.graph.gateway.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body: message.body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('a signed message starts one run with its body; a retry of it starts none; forged, stale and misaddressed ones are refused', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, { name: 'Receive orders', trigger: { type: 'INBOUND' }, steps: [noteStep] });
    const inbound = (await owner.client.data(readInbound, { id: workflowId })).workflow.inbound as { path: string; secret: string };
    expect(inbound.path).toBe(`/hooks/workflows/${workflowId}`);
    expect(inbound.secret).toMatch(/^whsec_/);
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    expect((await member.client.data(readInbound, { id: workflowId })).workflow).toEqual({ id: workflowId, inbound: null });

    const body = { order: 'A-17', lines: [{ sku: 'x', quantity: 2 }], note: 'gift ✓' };
    const message = { id: `msg_${randomUUID()}`, body: JSON.stringify(body) };
    const first = await send(inbound.path, inbound.secret, message);
    expect(first).toEqual({ status: 202, body: { runId: expect.any(String), duplicate: false } });
    const run = await settled(owner, first.body.runId as string);
    expect(run).toMatchObject({ workflowId, status: 'SUCCEEDED', triggerType: 'INBOUND', trigger: { message: { id: message.id, body } } });

    expect(await send(inbound.path, inbound.secret, message)).toEqual({ status: 202, body: { runId: run.id, duplicate: true } });

    const tampered = await send(inbound.path, inbound.secret, {
      id: `msg_${randomUUID()}`,
      signedBody: message.body,
      body: JSON.stringify({ ...body, order: 'A-18' }),
    });
    expect(tampered.status).toBe(401);
    const stale = await send(inbound.path, inbound.secret, { id: `msg_${randomUUID()}`, body: message.body, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(String(stale.body.error)).toContain('old');
    const misaddressed = await send(`/hooks/workflows/${randomUUID()}`, inbound.secret, { id: `msg_${randomUUID()}`, body: message.body });
    expect(misaddressed.status).toBe(404);

    expect((await runsOf(owner, organization.id, workflowId)).map((found) => found.id)).toEqual([run.id]);
  });
});

describe('workflowRunUpdated', () => {
  const updates = `subscription ($orgId: ID!, $workflowId: ID) {
    workflowRunUpdated(orgId: $orgId, workflowId: $workflowId) { id workflowId status steps { key status } }
  }`;

  test("a MEMBER follows one workflow's runs until they succeed; a user of another organization is refused", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    const followed = await createWorkflow(owner, organization.id, { name: 'Followed', trigger: { type: 'MANUAL' }, steps: [noteStep] });
    const other = await createWorkflow(owner, organization.id, { name: 'Other', trigger: { type: 'MANUAL' }, steps: [noteStep] });

    const client = webSocketClient(fixture.graph.gateway.url, { token: member.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(client, updates, { orgId: organization.id, workflowId: followed });
      const startRun = async (id: string) => ((await owner.client.data(runNow, { id })).runWorkflow as Run).id;
      // On a busy machine the subscription can take longer than the testkit's pause to reach
      // the subgraph (updates published before are not replayed): run the followed workflow
      // until an update of it arrives, so that what follows is seen live.
      const warmUps: string[] = [];
      for (let attempt = 0; attempt < 10 && subscription.pending().length === 0; attempt++) {
        warmUps.push(await startRun(followed));
        const deadline = Date.now() + 3_000;
        while (subscription.pending().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(subscription.pending().length).toBeGreaterThan(0);
      await startRun(other);
      const started = await startRun(followed);
      const seen: Pick<Run, 'id' | 'workflowId' | 'status' | 'steps'>[] = [];
      while (!(seen.at(-1)?.id === started && seen.at(-1)?.status === 'SUCCEEDED')) {
        const event = await subscription.next(20_000);
        expect(event.errors).toBeUndefined();
        seen.push(event.data!.workflowRunUpdated);
      }
      // Only the followed workflow's runs: the warm-ups' and this one's, never the other's.
      expect(seen.every((update) => update.workflowId === followed && [...warmUps, started].includes(update.id))).toBe(true);
      expect(seen.filter((update) => update.id === started).length).toBeGreaterThan(0);
      expect(seen.at(-1)!.steps).toEqual([{ key: 'note', status: 'SUCCEEDED' }]);
      subscription.unsubscribe();
    } finally {
      await client.dispose();
    }

    const stranger = (await ownerWithOrganization()).owner;
    const strangerClient = webSocketClient(fixture.graph.gateway.url, { token: stranger.accessToken });
    try {
      const refused = await subscribeOverWebSocket(strangerClient, updates, { orgId: organization.id });
      expect((await refused.next(10_000)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await strangerClient.dispose();
    }
  });
});

describe('who may see and control runs', () => {
  test("another organization cannot see or touch a run; a MEMBER and a workflows:read API key read it but cannot start or stop runs", async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, { name: 'Slow', trigger: { type: 'MANUAL' }, steps: [waitStep] });
    const run = await waitingRun(owner, workflowId);

    const stranger = (await ownerWithOrganization()).owner;
    expect((await stranger.client.data(readRun, { id: run.id })).workflowRun).toBeNull();
    expect(errorCodes(await stranger.client.request(listRuns, { orgId: organization.id }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await stranger.client.request(cancel, { id: run.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await stranger.client.request(retry, { id: run.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await stranger.client.request(runNow, { id: workflowId }))).toEqual(['NOT_FOUND']);

    const member = await signUpUser(fixture.graph.client);
    await addMember(owner, organization.id, member, 'MEMBER');
    expect((await member.client.data(readRun, { id: run.id })).workflowRun.id).toBe(run.id);
    expect((await runsOf(member, organization.id, workflowId)).map((found) => found.id)).toEqual([run.id]);
    expect(errorCodes(await member.client.request(runNow, { id: workflowId }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await member.client.request(cancel, { id: run.id }))).toEqual(['FORBIDDEN']);

    const key = await owner.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
      input: { orgId: organization.id, name: 'Run reader', scopes: ['workflows:read'] },
    });
    const reader = fixture.graph.client.as(key.createApiKey.secret as string);
    expect((await reader.data(readRun, { id: run.id })).workflowRun.id).toBe(run.id);
    expect(errorCodes(await reader.request(runNow, { id: workflowId }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await reader.request(cancel, { id: run.id }))).toEqual(['FORBIDDEN']);

    // None of the refused calls changed or started anything.
    const after = await runsOf(owner, organization.id, workflowId);
    expect(after.map((found) => [found.id, found.status])).toEqual([[run.id, 'WAITING']]);
    await owner.client.data(cancel, { id: run.id });
  });

  test('cancelling a run stops it and is audited as workflow.run.cancelled by its caller', async () => {
    const { owner, organization } = await ownerWithOrganization();
    const workflowId = await createWorkflow(owner, organization.id, { name: 'Slow', trigger: { type: 'MANUAL' }, steps: [waitStep] });
    const run = await waitingRun(owner, workflowId);
    const cancelled = (await owner.client.data(cancel, { id: run.id })).cancelWorkflowRun as Run;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', error: 'Cancelled by cancelWorkflowRun.', steps: [{ key: 'wait', status: 'CANCELLED' }] });
    expect(errorCodes(await owner.client.request(cancel, { id: run.id }))).toEqual(['BAD_USER_INPUT']);

    const auditLogs = `query ($orgId: ID!, $filter: AuditFilter) {
      auditLogs(orgId: $orgId, filter: $filter) { edges { node { action actorId targetType targetId changes } } }
    }`;
    const entries = await eventually(
      'the cancellation is in the audit trail',
      async () =>
        (await owner.client.data(auditLogs, { orgId: organization.id, filter: { targetId: run.id } })).auditLogs.edges.map(
          (edge: { node: Record<string, unknown> }) => edge.node,
        ) as Record<string, unknown>[],
      (found) => found.some((entry) => entry.action === 'workflow.run.cancelled'),
    );
    expect(entries.map((entry) => entry.action)).toEqual(['workflow.run.cancelled', 'workflow.run.started']);
    expect(entries[0]).toEqual({
      action: 'workflow.run.cancelled',
      actorId: owner.id,
      targetType: 'workflow_run',
      targetId: run.id,
      changes: { before: { status: 'WAITING' }, after: { status: 'CANCELLED' } },
    });
  });
});
