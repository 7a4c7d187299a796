import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { freePortsEnv } from '../testkit/free-ports.ts';
import { startGraphProcess, type GraphProcess } from '../testkit/graph-process.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { GraphQLClient } from '../testkit/client.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

/*
 * The engine's execution guarantees with real processes: two whole graphs (as `pnpm start`
 * runs them) on one database and, for BullMQ, one Redis prefix, so they share the step
 * jobs. The graph running an httpRequest step is killed with SIGKILL while the request is
 * open; the other takes the step over once its lease runs out, as a new attempt with the
 * same Idempotency-Key, and never while the first is still in flight.
 *
 * Each transport gets a database of its own: any graph on a database relays or claims its
 * QUEUED jobs, and a graph of another test file would otherwise take this one's step.
 * The embedded default's PGlite belongs to one process and cannot be shared, so "without
 * Redis" is the database job worker on Postgres here.
 */

const leaseMs = 1_500;

/** One request to the receiver's hold endpoint: when it came, when its connection closed. */
interface HeldCall {
  idempotencyKey: string;
  body: string;
  arrivedAt: number;
  /** Requests with the same key still open when this one arrived, itself included. */
  openOnArrival: number;
  closedAt?: number;
  response: ServerResponse;
}

/**
 * A receiver whose `/hold` requests are left open until the test answers them, recording
 * every connection's arrival and close, per Idempotency-Key.
 */
async function startHoldingReceiver() {
  const calls: HeldCall[] = [];
  const open = new Map<string, number>();
  const arrivals: (() => void)[] = [];
  const receiver: WebhookReceiver = await startWebhookReceiver((request, response) => {
    const idempotencyKey = String(request.headers['idempotency-key'] ?? '');
    open.set(idempotencyKey, (open.get(idempotencyKey) ?? 0) + 1);
    const call: HeldCall = { idempotencyKey, body: request.body, arrivedAt: Date.now(), openOnArrival: open.get(idempotencyKey)!, response };
    response.on('close', () => {
      call.closedAt = Date.now();
      open.set(idempotencyKey, open.get(idempotencyKey)! - 1);
    });
    calls.push(call);
    for (const arrived of arrivals.splice(0)) arrived();
  });
  return {
    receiver,
    calls,
    /** Resolves once `count` requests have arrived, or fails after `timeoutMs`. */
    async arrived(count: number, timeoutMs: number): Promise<HeldCall> {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the receiver got ${calls.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          arrivals.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return calls[count - 1]!;
    },
  };
}

const create = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`;
const run = `mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { id } }`;
const read = `query ($id: ID!) { workflowRun(id: $id) {
  id status error variables steps { key status attempts error startedAt finishedAt }
} }`;

type Run = {
  id: string;
  status: string;
  error: string | null;
  variables: Record<string, unknown>;
  steps: { key: string; status: string; attempts: number; error: string | null; startedAt: string | null; finishedAt: string | null }[];
};

/** Reads the run through `client` until it is over, or the time runs out. */
async function settled(client: GraphQLClient, id: string, timeoutMs = 30_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = (await client.data(read, { id })).workflowRun as Run;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(current.status) || Date.now() > deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each([
  { transport: 'BullMQ (REDIS_URL set)', redis: true },
  { transport: 'the database job worker (no REDIS_URL)', redis: false },
])('a step whose graph is killed mid-request, on $transport', ({ redis }) => {
  let scratch: ScratchDatabase;
  let holding: Awaited<ReturnType<typeof startHoldingReceiver>>;
  const graphs: GraphProcess[] = [];

  beforeEach(async () => {
    scratch = await createScratchDatabase();
    holding = await startHoldingReceiver();
  });
  afterEach(async () => {
    for (const graph of graphs.splice(0)) await graph.kill();
    await holding?.receiver.close();
    await scratch?.drop();
  });

  /** A graph process on this test's database (and Redis prefix), with a short step lease. */
  const prefix = `tnx-test-${randomUUID()}:`;
  async function startGraph(): Promise<GraphProcess> {
    const graph = await startGraphProcess({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: scratch.url,
      ...(redis ? { REDIS_URL: inject('redisUrl') } : {}),
      EVENT_CHANNEL_PREFIX: prefix,
      ...freePortsEnv(),
      TOKENS_INDEXER_INTERVAL_MS: '3600000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '3600000',
      MAIL_DIR: join(tmpdir(), `tnx-test-mail-${randomUUID()}`),
      WORKFLOWS_STEP_LEASE_MS: String(leaseMs),
      WORKFLOWS_HTTP_ALLOW_LIST: '127.0.0.1',
    });
    graphs.push(graph);
    return graph;
  }

  test('is taken over by the surviving graph after its lease, never in flight twice, and the run succeeds with the step run twice and the earlier step once', async () => {
    // A alone first (it migrates the new database): the step can only be A's.
    const a = await startGraph();
    const owner: SignedUpUser = await signUpUser(new GraphQLClient(a.url));
    const organization = await createOrganization(owner);
    const workflow = (
      await owner.client.data(create, {
        orgId: organization.id,
        input: {
          name: 'Call out, held',
          trigger: { type: 'MANUAL' },
          steps: [
            { key: 'prepare', type: 'setVariables', input: { variables: { order: 'order {{trigger.input.id}}' } } },
            // The longest timeout a step may have: A's attempt must still be open when B is up.
            { key: 'call', type: 'httpRequest', input: { method: 'POST', url: `${holding.receiver.url}/hold`, body: { order: '{{vars.order}}' }, timeoutMs: 120_000 } },
          ],
        },
      })
    ).createWorkflow as { id: string };
    const started = (await owner.client.data(run, { id: workflow.id, input: { id: 'A-7' } })).runWorkflow as { id: string };

    const first = await holding.arrived(1, 20_000);
    const b = await startGraph();
    expect(first.closedAt, 'the first attempt is still in flight while B starts').toBeUndefined();
    const killedAt = Date.now();
    await a.kill();

    const second = await holding.arrived(2, 20_000);
    second.response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true }));
    const done = await settled(owner.client.withUrl(b.url), started.id);

    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.variables).toEqual({ order: 'order A-7' });
    expect(done.steps.map((step) => [step.key, step.status, step.attempts])).toEqual([
      ['prepare', 'SUCCEEDED', 1],
      ['call', 'SUCCEEDED', 2],
    ]);
    expect(new Date(done.steps[0]!.finishedAt!).getTime()).toBeLessThan(killedAt);

    // The same logical request twice, and only twice.
    expect(holding.calls).toHaveLength(2);
    expect(second.idempotencyKey).toMatch(/^wf-/);
    expect(second.idempotencyKey).toBe(first.idempotencyKey);
    expect(JSON.parse(second.body)).toEqual({ order: 'order A-7' });
    expect(second.body).toBe(first.body);
    // Never two attempts at once: A's connection died with A, before B's request came,
    // and B waited for the lease rather than for A's request to time out.
    expect(first.closedAt).toBeGreaterThanOrEqual(killedAt);
    expect(first.closedAt).toBeLessThanOrEqual(second.arrivedAt);
    expect(holding.calls.map((call) => call.openOnArrival)).toEqual([1, 1]);
    expect(second.arrivedAt - killedAt).toBeLessThan(15_000);
  }, 180_000);
});
