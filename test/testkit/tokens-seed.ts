import pg from 'pg';
import { inject } from 'vitest';
import type { GraphQLClient } from './client.ts';
import { startEvmNode, type EvmNode } from './evm-node.ts';
import { startTestGraph, type TestGraph } from './graph.ts';
import { runEntryPoint } from './run-entry-point.ts';
import { createScratchDatabase } from './scratch-database.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from './seed.ts';

export const tokenFields = `id name symbol decimals initialSupply status failureReason deployerAddress contractAddress
  deployedBlock chain { chainId } createdBy { id }`;

/** A SYSTEM_ADMIN, made one by the operator command, as an operator would. */
export async function systemAdmin(client: GraphQLClient, databaseUrl: string = inject('databaseUrl')): Promise<SignedUpUser> {
  const operator = await signUpUser(client);
  const granted = await runEntryPoint('subgraphs/identity/src/cli/grant-system-admin.ts', [operator.email], {
    DATABASE_URL: databaseUrl,
  });
  if (granted.code !== 0) throw new Error(`grant-system-admin failed: ${granted.stderr}`);
  return operator;
}

export async function addChain(
  admin: SignedUpUser,
  input: { chainId: number; rpcUrl: string; confirmations?: number; name?: string },
): Promise<void> {
  await admin.client.data(`mutation ($input: CreateChainInput!) { createChain(input: $input) { chainId } }`, {
    input: { name: `Chain ${input.chainId}`, ...input },
  });
}

export interface TokenOrganization {
  organization: { id: string };
  owner: SignedUpUser;
  admin: SignedUpUser;
  viewer: SignedUpUser;
}

export async function tokenOrganization(client: GraphQLClient): Promise<TokenOrganization> {
  const [owner, admin, viewer] = await Promise.all([
    signUpUser(client, { displayName: 'Tess Treasurer' }),
    signUpUser(client),
    signUpUser(client),
  ]);
  const organization = await createOrganization(owner);
  await addMember(owner, organization.id, admin, 'ADMIN');
  await addMember(owner, organization.id, viewer, 'VIEWER');
  return { organization, owner, admin, viewer };
}

export async function createToken(
  client: GraphQLClient,
  input: { orgId: string; chainId: number } & Partial<{ name: string; symbol: string; decimals: number; initialSupply: string }>,
): Promise<Record<string, any>> {
  const data = await client.data(`mutation ($input: CreateTokenInput!) { createToken(input: $input) { ${tokenFields} } }`, {
    input: { name: 'Nexus Credit', symbol: 'NXC', decimals: 18, initialSupply: '1000000000000000000000', ...input },
  });
  return data.createToken;
}

/** Reads the token until `done` holds (jobs and the indexer work in the background). */
export async function tokenWhen(
  client: GraphQLClient,
  id: string,
  done: (token: Record<string, any>) => boolean,
  options: { fields?: string; timeoutMs?: number; meanwhile?: () => Promise<void> } = {},
): Promise<Record<string, any>> {
  let last: Record<string, any> | null = null;
  for (const started = Date.now(); Date.now() - started < (options.timeoutMs ?? 30_000); ) {
    last = (await client.data(`query ($id: ID!) { token(id: $id) { ${options.fields ?? tokenFields} } }`, { id })).token;
    if (last && done(last)) return last;
    // E.g. mine a block, for a chain that needs confirmations and mines only on demand.
    await options.meanwhile?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`token ${id} never got there; last seen: ${JSON.stringify(last)}`);
}

/**
 * What a tokens test runs against: its own database (the job queue is shared by every
 * graph on a database, and another file's worker would take this file's jobs, and
 * announce them on its own events), the whole graph on it, a SYSTEM_ADMIN, and a local
 * EVM chain registered as `chainId`.
 */
export interface TokenWorld {
  graph: TestGraph;
  db: pg.Client;
  evm: EvmNode;
  chainId: number;
  admin: SignedUpUser;
  /** Stops the graph (its indexer and workers with it) and starts another on the same data. */
  restartGraph(): Promise<TestGraph>;
  close(): Promise<void>;
}

export async function startTokenWorld(
  options: { env?: Record<string, string>; chainId?: number; confirmations?: number } = {},
): Promise<TokenWorld> {
  const chainId = options.chainId ?? 1337;
  const database = await createScratchDatabase();
  const env = { DATABASE_URL: database.url, ...options.env };
  const evm = await startEvmNode({ chainId });
  let graph = await startTestGraph(env, { migrate: true });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const admin = await systemAdmin(graph.client, database.url);
  await addChain(admin, { chainId, rpcUrl: evm.rpcUrl, ...(options.confirmations ? { confirmations: options.confirmations } : {}) });
  const world: TokenWorld = {
    graph,
    db,
    evm,
    chainId,
    admin,
    restartGraph: async () => {
      await graph.close();
      graph = await startTestGraph(env);
      world.graph = graph;
      return graph;
    },
    close: async () => {
      await db.end();
      await graph.close();
      await evm.close();
      await database.drop();
    },
  };
  return world;
}
