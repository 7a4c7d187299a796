import { readFileSync } from 'node:fs';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath } from '../config.ts';
import { maxRootFieldsRule } from './max-root-fields.ts';

const schema = buildSchema(readFileSync(defaultSupergraphPath, 'utf8'));

function refusals(query: string, maxRootFields: number): string[] {
  return validate(schema, parse(query), [maxRootFieldsRule(maxRootFields)]).map((error) => error.message);
}

describe('maxRootFieldsRule', () => {
  test('passes an operation with exactly the allowed root fields and refuses one more', () => {
    const query = '{ me { id } a: organization(slug: "a") { id } b: organization(slug: "b") { id } }';
    expect(refusals(query, 3)).toEqual([]);
    expect(refusals(query, 2)).toEqual([
      'The operation asks for too many root fields (3): MAX_ROOT_FIELDS allows 2.',
    ]);
  });

  test('counts only the top level, not the fields below it', () => {
    expect(refusals('{ me { id email displayName memberships { role } } }', 1)).toEqual([]);
  });

  test('expands named and inline fragments at the top, each spread counting again', () => {
    const query = `
      query { ...Roots ...Roots ... on Query { c: me { id } } }
      fragment Roots on Query { a: me { id } b: me { email } }`;
    expect(refusals(query, 5)).toEqual([]);
    expect(refusals(query, 4)).toHaveLength(1);
  });

  test('counts a fragment bomb as executed, in linear time', () => {
    // F0 spreads F1 twice, F1 spreads F2 twice… F40 holds one field: 2^40 root fields.
    const fragments = Array.from(
      { length: 40 },
      (_, level) => `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`,
    );
    const query = `{ ...F0 } ${fragments.join(' ')} fragment F40 on Query { me { id } }`;
    const started = performance.now();
    expect(refusals(query, 10)).toEqual([
      `The operation asks for too many root fields (${2 ** 40}): MAX_ROOT_FIELDS allows 10.`,
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('returns at once on fragments that spread each other in a cycle', () => {
    const query = `
      { ...A }
      fragment A on Query { me { id } ...B }
      fragment B on Query { organization(slug: "a") { id } ...A }`;
    const started = performance.now();
    const messages = validate(schema, parse(query), [...specifiedRules, maxRootFieldsRule(10)]).map(
      (error) => error.message,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(messages.some((message) => message.includes('within itself'))).toBe(true);
  });
});
