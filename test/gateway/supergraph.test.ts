import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { composeSupergraph } from '@token-nexus/gateway';
import { parse } from 'graphql';
import { describe, expect, test } from 'vitest';

const committedSupergraph = new URL('../../gateway/supergraph.graphql', import.meta.url);
const identitySchema = new URL('../../subgraphs/identity/schema.graphql', import.meta.url);

describe('the supergraph', () => {
  test('composes from every subgraph schema without errors', () => {
    const sdl = composeSupergraph();
    expect(sdl).toContain('join__Graph');
    expect(sdl).toContain('IDENTITY @join__graph(name: "identity"');
  });

  test('committed in gateway/supergraph.graphql is what the schemas compose to (run `pnpm compose`)', () => {
    expect(readFileSync(committedSupergraph, 'utf8')).toBe(composeSupergraph());
  });

  test('composition reports an error when subgraphs disagree (so the check above can fail)', () => {
    const identity = readFileSync(identitySchema, 'utf8');
    const clash = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Organization @key(fields: "id") { id: ID! name: Int! }
      type Query { noop: Boolean }
    `;
    const result = composeServices([
      { name: 'identity', url: 'http://identity', typeDefs: parse(identity) },
      { name: 'other', url: 'http://other', typeDefs: parse(clash) },
    ]);
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
