import { buildSchema, graphql } from 'graphql';
import { describe, expect, test } from 'vitest';
import { anonymousClaims } from '../claims/claims.ts';
import { applyRateLimits } from './apply-rate-limits.ts';
import { MemoryRateLimitStore } from './rate-limit-store.ts';

const sdl = `
  directive @rateLimit(limit: Int!, window: String!, by: [RateLimitKey!]! = [GLOBAL]) repeatable on FIELD_DEFINITION
  enum RateLimitKey { IP GLOBAL ARG_formId }
  type Query { ok: Boolean }
  type Mutation {
    send(formId: String!): Boolean @rateLimit(limit: 2, window: "1m", by: [IP]) @rateLimit(limit: 3, window: "1m", by: [ARG_formId])
    once: Boolean @rateLimit(limit: 1, window: "1m")
  }
`;

function limitedGraph() {
  const store = new MemoryRateLimitStore();
  const keys: string[] = [];
  const counting = { hit: (key: string, limit: number, windowMs: number) => (keys.push(key), store.hit(key, limit, windowMs)), mode: store.mode, close: () => store.close() };
  const schema = applyRateLimits(buildSchema(sdl), { store: counting });
  let runs = 0;
  const rootValue = { send: () => (runs += 1, true), once: () => true };
  const send = async (ip: string, formId: string) => {
    const claims = { ...anonymousClaims('test'), clientIp: ip };
    const result = await graphql({ schema, source: `mutation ($f: String!) { send(formId: $f) }`, variableValues: { f: formId }, rootValue, contextValue: { claims, rateLimit: { report: null } } });
    return result.errors?.[0]?.extensions?.code ?? 'OK';
  };
  return { send, keys, runs: () => runs, schema, rootValue };
}

describe('several @rateLimit on one field', () => {
  test('each limit holds on its own: per IP, and per argument across addresses', async () => {
    const graph = limitedGraph();
    expect([await graph.send('10.0.0.1', 'a'), await graph.send('10.0.0.1', 'a'), await graph.send('10.0.0.1', 'a')]).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    // Another address passes the IP limit, until the form's own limit (3) is reached.
    expect([await graph.send('10.0.0.2', 'a'), await graph.send('10.0.0.3', 'a')]).toEqual(['OK', 'RATE_LIMITED']);
    expect(await graph.send('10.0.0.4', 'b')).toBe('OK');
    expect(graph.runs()).toBe(4);
  });

  test('a use the first limit refuses is not counted by the next, and the limits keep separate counters', async () => {
    const graph = limitedGraph();
    await graph.send('10.0.0.1', 'a');
    await graph.send('10.0.0.1', 'a');
    await graph.send('10.0.0.1', 'a');
    const [ipKey, formKey] = graph.keys;
    expect(formKey).toMatch(/^rl:Mutation\.send:[\w-]{32}#1$/);
    expect(ipKey).toMatch(/^rl:Mutation\.send:[\w-]{32}$/);
    // Three attempts by IP, but only the two it let through reached the form's limit.
    expect(graph.keys.filter((key) => key === formKey)).toHaveLength(2);
  });

  test('a field with one limit keeps the key it always had (no suffix)', async () => {
    const graph = limitedGraph();
    const context = { claims: anonymousClaims('test'), rateLimit: { report: null } };
    await graphql({ schema: graph.schema, source: 'mutation { once }', rootValue: graph.rootValue, contextValue: context });
    const again = await graphql({ schema: graph.schema, source: 'mutation { once }', rootValue: graph.rootValue, contextValue: context });
    expect(again.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(graph.keys.at(-1)).toMatch(/^rl:Mutation\.once:[\w-]{32}$/);
  });
});
