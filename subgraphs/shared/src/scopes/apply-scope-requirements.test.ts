import { buildSchema, graphql } from 'graphql';
import { describe, expect, test } from 'vitest';
import type { Actor, Claims } from '../claims/claims.ts';
import { applyScopeRequirements } from './apply-scope-requirements.ts';

const typeDefs = /* GraphQL */ `
  directive @scopes(anyOf: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    open: String
    token: Token @scopes(anyOf: [["tokens:read"]])
    both: String @scopes(anyOf: [["a", "b"], ["c"]])
  }
  type Mutation {
    write: String @scopes(anyOf: [["tokens:write"]])
  }
  type Token {
    name: String
    secretNote: Note
  }
  type Note @scopes(anyOf: [["notes:read"]]) {
    text: String
  }
`;

function run(query: string, actor: Actor, writes: string[] = []) {
  const schema = applyScopeRequirements(buildSchema(typeDefs));
  // The default resolver calls a root value's functions: the schema's own resolvers.
  const rootValue = {
    open: () => 'open',
    token: () => ({ name: 'T', secretNote: { text: 'hidden' } }),
    both: () => 'both',
    write: () => {
      writes.push('written');
      return 'ok';
    },
  };
  const claims: Claims = { v: 1, actor, requestId: 'r', clientIp: null, userAgent: null };
  return graphql({ schema, source: query, rootValue, contextValue: { claims } });
}

const key = (scopes: string[]): Actor => ({
  type: 'client',
  credential: { kind: 'api_key', id: 'k1' },
  organizationId: 'o1',
  scopes,
  accountableUserId: 'u1',
});

describe('applyScopeRequirements', () => {
  test("does not limit a user's own session or an anonymous caller", async () => {
    for (const actor of [{ type: 'user', userId: 'u1' }, { type: 'anonymous' }] as Actor[]) {
      const result = await run('{ open token { name secretNote { text } } }', actor);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ open: 'open', token: { name: 'T', secretNote: { text: 'hidden' } } });
    }
  });

  test('lets a key reach a field whose scope it holds, and refuses the nested type it lacks', async () => {
    const result = await run('{ token { name secretNote { text } } }', key(['tokens:read']));
    expect(result.data).toEqual({ token: { name: 'T', secretNote: null } });
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual([['token.secretNote', 'FORBIDDEN']]);
  });

  test('closes root fields that declare no scope to keys', async () => {
    const result = await run('{ open }', key(['tokens:read']));
    expect(result.errors?.[0]?.message).toBe('Query.open is not available to API keys and OAuth apps.');
  });

  test('reads anyOf as alternatives of scopes needed together', async () => {
    expect((await run('{ both }', key(['a']))).errors?.[0]?.message).toBe('Query.both requires the scope `a` and `b` or `c`.');
    expect((await run('{ both }', key(['a', 'b']))).data).toEqual({ both: 'both' });
    expect((await run('{ both }', key(['c']))).data).toEqual({ both: 'both' });
  });

  test('refuses a mutation before its resolver runs; an OAuth delegation is limited like a key', async () => {
    const writes: string[] = [];
    const delegated: Actor = { type: 'user', userId: 'u1', delegation: { appId: 'app', scopes: ['tokens:read'] } };
    const refused = await run('mutation { write }', delegated, writes);
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(writes).toEqual([]);
    await run('mutation { write }', key(['tokens:write']), writes);
    expect(writes).toEqual(['written']);
  });
});
