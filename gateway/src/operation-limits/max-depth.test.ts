import { readFileSync } from 'node:fs';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath } from '../config.ts';
import { maxDepthRule } from './max-depth.ts';

const schema = buildSchema(readFileSync(defaultSupergraphPath, 'utf8'));

function refusals(query: string, maxDepth: number): string[] {
  return validate(schema, parse(query), [maxDepthRule(maxDepth)]).map((error) => error.message);
}

describe('maxDepthRule', () => {
  test('counts every field as a level, leaves included, and passes an operation exactly at the limit', () => {
    const query = '{ me { memberships { organization { id } } } }';
    expect(refusals(query, 4)).toEqual([]);
    expect(refusals(query, 3)).toEqual(['The operation is nested too deeply: MAX_QUERY_DEPTH allows 3.']);
  });

  test('counts the fields of a named fragment where it is spread, without a level for the spread', () => {
    const query = `
      { me { ...Memberships } }
      fragment Memberships on User { memberships { organization { id } } }`;
    expect(refusals(query, 4)).toEqual([]);
    expect(refusals(query, 3)).toHaveLength(1);
  });

  test('counts the fields of an inline fragment without a level for the fragment', () => {
    const query = '{ me { ... on User { memberships { organization { id } } } } }';
    expect(refusals(query, 4)).toEqual([]);
    expect(refusals(query, 3)).toHaveLength(1);
  });

  test('measures a fragment spread in two places from the deeper of them', () => {
    const query = `
      {
        me { ...Org }
        organization(slug: "acme") { members { edges { node { user { ...Org } } } } }
      }
      fragment Org on User { memberships { organization { id } } }`;
    // organization > members > edges > node > user > memberships > organization > id
    expect(refusals(query, 8)).toEqual([]);
    expect(refusals(query, 7)).toHaveLength(1);
  });

  test('returns at once on fragments that spread each other in a cycle', () => {
    const query = `
      { me { ...A } }
      fragment A on User { memberships { user { ...B } } }
      fragment B on User { memberships { user { ...A } } }`;
    const started = performance.now();
    const messages = validate(schema, parse(query), [...specifiedRules, maxDepthRule(10)]).map(
      (error) => error.message,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(messages.some((message) => message.includes('Cannot spread fragment "A" within itself'))).toBe(true);
  });

  test('leaves the introspection query to introspection settings', () => {
    expect(refusals('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }', 3)).toEqual([]);
  });
});
