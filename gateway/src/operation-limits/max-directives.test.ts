import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath } from '../config.ts';
import { maxDirectivesRule } from './max-directives.ts';

const schema = buildSchema(readFileSync(defaultSupergraphPath, 'utf8'));

function refusals(query: string, maxDirectives: number): string[] {
  return validate(schema, parse(query), [maxDirectivesRule(maxDirectives)]).map((error) => error.message);
}

describe('maxDirectivesRule', () => {
  test('passes an operation with exactly the allowed directives and refuses one more', () => {
    const query = '{ me { id @include(if: true) email @skip(if: false) } }';
    expect(refusals(query, 2)).toEqual([]);
    expect(refusals(query, 1)).toEqual(['The operation uses too many directives: MAX_DIRECTIVES allows 1.']);
  });

  test('counts the directives inside a fragment each time it is spread', () => {
    const query = `
      { me { ...F } organization(slug: "acme") { members { edges { node { user { ...F } } } } } }
      fragment F on User { id @include(if: true) ... on User @skip(if: false) { email } }`;
    expect(refusals(query, 4)).toEqual([]);
    expect(refusals(query, 3)).toHaveLength(1);
  });
});
