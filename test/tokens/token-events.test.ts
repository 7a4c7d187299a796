import { KeyVault, developmentSecrets } from '@token-nexus/shared';
import { deployerKeyBinding } from '@token-nexus/tokens';
import { Wallet } from 'ethers';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EvmNode } from '../testkit/evm-node.ts';
import type { TestGraph } from '../testkit/graph.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { createToken, startTokenWorld, tokenOrganization, type TokenWorld } from '../testkit/tokens-seed.ts';

const chainId = 1337;
let world: TokenWorld;
let evm: EvmNode;
let graph: TestGraph;
let db: pg.Client;
beforeAll(async () => {
  world = await startTokenWorld({ chainId, env: { TOKENS_INDEXER_INTERVAL_MS: '200', TOKENS_RECEIPT_POLL_MS: '50' } });
  ({ evm, graph, db } = world);
});
afterAll(async () => {
  await world?.close();
});

const events = `subscription ($orgId: ID!) {
  tokenEvents(orgId: $orgId) { token { id status contractAddress createdBy { displayName } } transaction { kind status } }
}`;

describe("an organization's token events", () => {
  test('any member follows a deployment live, DRAFT to DEPLOYED, with fields from identity', async () => {
    const { organization, owner, viewer } = await tokenOrganization(graph.client);
    const socket = webSocketClient(graph.gateway.url, { token: viewer.accessToken });
    try {
      const subscription = await subscribeOverWebSocket(socket, events, { orgId: organization.id });
      const token = await createToken(owner.client, { orgId: organization.id, chainId });
      expect((await subscription.next()).data?.tokenEvents).toEqual({
        token: { id: token.id, status: 'DRAFT', contractAddress: null, createdBy: { displayName: 'Tess Treasurer' } },
        transaction: null,
      });
      await evm.fund(token.deployerAddress, '2');
      await owner.client.data(`mutation ($id: ID!) { deployToken(id: $id) { status } }`, { id: token.id });
      const statuses: string[] = [];
      for (let seen = 0; seen < 10 && statuses.at(-1) !== 'DEPLOYED'; seen++) {
        statuses.push((await subscription.next(15_000)).data?.tokenEvents.token.status);
      }
      expect(statuses[0]).toBe('DEPLOYING');
      expect(statuses.at(-1)).toBe('DEPLOYED');
    } finally {
      await socket.dispose();
    }
  }, 60_000);

  test('the deployer key is stored only encrypted, bound to its organization and chain, and is the deployer\'s real key', async () => {
    const { organization, owner } = await tokenOrganization(graph.client);
    const token = await createToken(owner.client, { orgId: organization.id, chainId });
    const rows = await db.query('SELECT address, encrypted_key FROM tokens.deployer_keys WHERE organization_id = $1', [organization.id]);
    expect(rows.rows).toHaveLength(1);
    const { address, encrypted_key: stored } = rows.rows[0];
    expect(address).toBe(token.deployerAddress);
    expect(stored).toMatch(/^v1:/);
    const key = new KeyVault(developmentSecrets.tokensMasterKey).decrypt(stored, deployerKeyBinding(organization.id, chainId));
    expect(new Wallet(key).address).toBe(token.deployerAddress);
    // Nothing the API answers carries it.
    const everything = await owner.client.request(`query ($id: ID!) { token(id: $id) { id deployerAddress contractAddress } }`, { id: token.id });
    expect(JSON.stringify(everything)).not.toContain(key.slice(2));
    const trail = await db.query(`SELECT changes::text AS changes FROM audit.entries WHERE organization_id = $1`, [organization.id]);
    expect(trail.rows.map((row) => row.changes).join('')).not.toContain(key.slice(2));
  });
});
