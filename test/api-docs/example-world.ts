import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { FakeOpenAi } from '../testkit/fake-openai.ts';
import type { TestGraph } from '../testkit/graph.ts';
import { createComponent, heroSchema, sectionSchema } from '../testkit/cms-seed.ts';
import { createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { addChain, systemAdmin } from '../testkit/tokens-seed.ts';
import type { WebhookReceiver } from '../testkit/webhook-receiver.ts';

/**
 * What the reference's examples run in: an organization whose OWNER sends them, with the
 * cms components the example documents use, a chain to define tokens on (one that does not
 * answer: nothing here deploys for real), a SYSTEM_ADMIN for the chain examples, a fake
 * AI provider, and a webhook receiver the graph may deliver to.
 */
export interface ExampleWorld {
  graph: TestGraph;
  db: pg.Client;
  owner: SignedUpUser;
  organization: { id: string; slug: string };
  hero: { id: string };
  admin: SignedUpUser;
  chainId: number;
  ai: FakeOpenAi;
  receiver: WebhookReceiver;
}

export async function seedExampleWorld(options: {
  graph: TestGraph;
  /** The database the graph runs on (for the operator command that makes a SYSTEM_ADMIN). */
  databaseUrl: string;
  db: pg.Client;
  ai: FakeOpenAi;
  receiver: WebhookReceiver;
}): Promise<ExampleWorld> {
  const { graph } = options;
  const owner = await signUpUser(graph.client, { displayName: 'Ada' });
  const organization = await createOrganization(owner);
  const hero = await createComponent(owner.client, organization.id, 'Hero', heroSchema);
  await createComponent(owner.client, organization.id, 'Section', sectionSchema);
  const admin = await systemAdmin(graph.client, options.databaseUrl);
  // Nothing listens on port 9 of this machine: the chain is there to define tokens on.
  const chainId = 2_000_000 + randomInt(1_000_000);
  await addChain(admin, { chainId, rpcUrl: 'http://127.0.0.1:9' });
  return { ...options, owner, organization, hero, admin, chainId };
}
