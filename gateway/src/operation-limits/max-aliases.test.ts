import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath } from '../config.ts';
import { maxAliasesRule } from './max-aliases.ts';

const schema = buildSchema(readFileSync(defaultSupergraphPath, 'utf8'));

function refusals(query: string, maxAliases: number): string[] {
  return validate(schema, parse(query), [maxAliasesRule(maxAliases)]).map((error) => error.message);
}

describe('maxAliasesRule', () => {
  test('passes an operation with exactly the allowed aliases and refuses one more', () => {
    const query = '{ a: me { id } b: me { id } c: me { id } }';
    expect(refusals(query, 3)).toEqual([]);
    expect(refusals(query, 2)).toEqual(['The operation uses too many aliases: MAX_ALIASES allows 2.']);
  });

  test('counts the aliases of a fragment each time it is spread, named or inline', () => {
    const query = `
      { me { ...Names } organization(slug: "acme") { members { edges { node { user { ...Names } } } } } }
      fragment Names on User { first: displayName second: displayName ... on User { third: email } }`;
    expect(refusals(query, 6)).toEqual([]);
    expect(refusals(query, 5)).toHaveLength(1);
  });

  test('does not count an alias on __typename', () => {
    expect(refusals('{ me { kind: __typename id } }', 0)).toEqual([]);
  });

  test('with a limit of 0, refuses any alias', () => {
    expect(refusals('{ mine: me { id } }', 0)).toHaveLength(1);
  });
});
