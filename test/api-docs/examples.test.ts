import { examples, type ApiExample } from '@token-nexus/docs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../testkit/fake-openai.ts';
import { startTestGraph, type TestGraph } from '../testkit/graph.ts';
import { createScratchDatabase, type ScratchDatabase } from '../testkit/scratch-database.ts';
import { subscribeOverSse } from '../testkit/subscriptions.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';
import { exampleSeeds } from './example-seeds.ts';
import { seedExampleWorld, type ExampleWorld } from './example-world.ts';
import { replacedVariables } from './replaced-variables.ts';

/*
 * Every example of the API reference (docs/examples), run against a real graph as the
 * reference shows it, with ids of seeded data in place of the ones shown.
 */

let ai: FakeOpenAi;
let receiver: WebhookReceiver;
let graph: TestGraph;
let db: pg.Client;
let world: ExampleWorld;
let scratch: ScratchDatabase;

beforeAll(async () => {
  ai = await startFakeOpenAi();
  receiver = await startWebhookReceiver();
  // A database of its own: the metricUpdated example's event comes from the ingest round,
  // which on the run's shared database another file's graph (another event bus) may run.
  scratch = await createScratchDatabase();
  graph = await startTestGraph(
    {
      DATABASE_URL: scratch.url,
      AI_PROVIDER_BASE_URL: ai.url,
      AI_PROVIDER_API_KEY: 'sk-examples-0123456789abcdef',
      WEBHOOK_ALLOW_LIST: `127.0.0.1:${receiver.port}`,
      // The example chain never answers: a deployment fails at its first attempt.
      TOKENS_JOB_MAX_ATTEMPTS: '1',
    },
    { migrate: true },
  );
  db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  world = await seedExampleWorld({ graph, databaseUrl: scratch.url, db, ai, receiver });
}, 120_000);

afterAll(async () => {
  await db?.end();
  await graph?.close();
  await receiver?.close();
  await ai?.close();
  await scratch?.drop();
});

async function run(example: ApiExample) {
  const seeded = (await exampleSeeds[example.field]?.(world)) ?? {};
  const variables = replacedVariables(example.variables, seeded.variables ?? {});
  const caller = seeded.as ?? world.owner;
  const fieldName = example.field.split('.')[1]!;
  if (example.field.startsWith('Subscription.')) {
    const subscription = await subscribeOverSse(graph.gateway.url, example.operation, variables, { token: caller.accessToken });
    try {
      await seeded.trigger?.();
      return { ...(await subscription.next(15_000)), fieldName };
    } finally {
      subscription.unsubscribe();
    }
  }
  const client = example.caller === 'anonymous' ? graph.client : caller.client;
  return { ...(await client.request(example.operation, variables)), fieldName };
}

describe('the examples of the API reference', () => {
  test.each(examples.map((example) => [example.field, example.title, example] as const))(
    '%s (%s) runs against the graph as the reference shows it',
    async (_field, _title, example) => {
      const answer = await run(example);
      if (example.answers) {
        expect((answer.errors ?? []).map((error) => error.extensions?.code)).toEqual([example.answers.code]);
      } else {
        expect(answer.errors).toBeUndefined();
        expect(answer.data).toHaveProperty(answer.fieldName);
      }
    },
  );
});
