import { readFileSync } from 'node:fs';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath } from '../config.ts';
import { assumedListSizes } from './assumed-list-sizes.ts';
import { queryCost } from './query-cost.ts';

const supergraphSdl = readFileSync(defaultSupergraphPath, 'utf8');
const schema = buildSchema(supergraphSdl);

/** The cost of the document's first operation. */
function cost(query: string, variables?: Record<string, unknown>, defaultListSize = 20): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  )!;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === 'FragmentDefinition' ? [[definition.name.value, definition] as const] : [],
    ),
  );
  return queryCost(operation, schema, (name) => fragments.get(name), {
    defaultListSize,
    variables,
    assumedListSizes: assumedListSizes(supergraphSdl),
  });
}

const members = (first: string) => `
  query ($n: Int, $slug: String) {
    organization(slug: $slug) { members(first: ${first}) { edges { node { role } } } }
  }`;

describe('queryCost', () => {
  test("charges a list without `first` the size its subgraph declares with @listSize(assumedSize:)", () => {
    // dashboardLayout 1 + widgetData (1 + 12 × (widgetId 1 + series (1 + 3 × (label 1 + points (1 + 30 × (t 1 + v 1))))))
    const series = 1 + 3 * (1 + (1 + 30 * 2));
    expect(cost('query ($o: ID!) { dashboardLayout(orgId: $o) { widgetData { widgetId series { label points { t v } } } } }')).toBe(
      1 + 1 + 12 * (1 + series),
    );
  });

  test('costs 1 per field, leaves included', () => {
    expect(cost('{ me { id email } }')).toBe(3);
  });

  test('charges a list its size times its selection, DEFAULT_LIST_SIZE when it has no `first`', () => {
    // me 1 + memberships (1 + 20 × (role 1 + organization (1 + id 1)))
    expect(cost('{ me { memberships { role organization { id } } } }')).toBe(1 + 1 + 20 * 3);
    expect(cost('{ me { memberships { role organization { id } } } }', undefined, 5)).toBe(1 + 1 + 5 * 3);
  });

  test("charges a connection's rows by its `first`, and its totals once", () => {
    // organization 1 + members (1 + totalCount 1 + edges (1 + first × (node 1 + role 1)))
    const connection = (first: number) =>
      cost(`{ organization(slug: "a") { members(first: ${first}) { totalCount edges { node { role } } } } }`);
    expect(connection(5)).toBe(1 + 1 + 1 + 1 + 5 * 2);
    expect(connection(50)).toBe(1 + 1 + 1 + 1 + 50 * 2);
  });

  test('multiplies nested lists', () => {
    // me 1 + memberships (1 + 20 × (organization 1 + members (1 + edges (1 + 10 × (node 1 + role 1)))))
    const query = '{ me { memberships { organization { members(first: 10) { edges { node { role } } } } } } }';
    expect(cost(query)).toBe(1 + 1 + 20 * (1 + 1 + 1 + 10 * 2));
  });

  test('reads `first: $n` from the variables, else from the default DEFAULT_LIST_SIZE', () => {
    const base = 1 + 1 + 1; // organization, members, edges
    expect(cost(members('$n'), { n: 50 })).toBe(base + 50 * 2);
    expect(cost(members('$n'), { n: 3 })).toBe(base + 3 * 2);
    expect(cost(members('$n'))).toBe(base + 20 * 2);
    expect(cost(members('$n'), { n: null })).toBe(base + 20 * 2);
  });

  test("uses a variable's default from the operation when the request leaves it out", () => {
    const query = 'query ($n: Int = 80) { organization(slug: "a") { members(first: $n) { edges { node { role } } } } }';
    expect(cost(query)).toBe(3 + 80 * 2);
    expect(cost(query, { n: 2 })).toBe(3 + 2 * 2);
  });

  test('never lets a bad `first` lower the cost: negative or non-integer values count as DEFAULT_LIST_SIZE', () => {
    expect(cost(members('$n'), { n: -1000 })).toBe(3 + 20 * 2);
    expect(cost(members('$n'), { n: 2.5 })).toBe(3 + 20 * 2);
    expect(cost(members('$n'), { n: '100' })).toBe(3 + 20 * 2);
  });

  test('expands named and inline fragments where they are spread, with the size of their place', () => {
    const inline = '{ organization(slug: "a") { members(first: 5) { edges { node { role } } } } }';
    const named = `
      { organization(slug: "a") { members(first: 5) { ...Rows } } }
      fragment Rows on MembershipConnection { edges { ... on MembershipEdge { node { role } } } }`;
    expect(cost(named)).toBe(cost(inline));
    const twice = `
      { me { ...Orgs } organization(slug: "a") { members(first: 5) { edges { node { user { ...Orgs } } } } } }
      fragment Orgs on User { memberships { role } }`;
    // me (1 + Orgs) + organization (1 + members (1 + edges (1 + 5 × (node 1 + user (1 + Orgs)))))
    const orgs = 1 + 20 * 1;
    expect(cost(twice)).toBe(1 + orgs + 1 + 1 + 1 + 5 * (1 + 1 + orgs));
  });

  test('costs nothing for __typename and introspection', () => {
    expect(cost('{ __typename me { __typename id } }')).toBe(2);
    expect(cost('{ __schema { types { fields { name } } } }')).toBe(0);
  });

  test('returns at once on fragments that spread each other in a cycle, the way back round costing nothing', () => {
    const query = `
      { me { ...A } }
      fragment A on User { memberships { user { ...B } } }
      fragment B on User { memberships { user { ...A } } }`;
    const started = performance.now();
    // me 1 + A (memberships 1 + 20 × (user 1 + B (memberships 1 + 20 × (user 1))))
    expect(cost(query)).toBe(1 + 1 + 20 * (1 + 1 + 20 * 1));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('prices a fragment bomb in linear time', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, level) => `fragment F${level} on User { ...F${level + 1} ...F${level + 1} }`,
    );
    const started = performance.now();
    expect(cost(`{ me { ...F0 } } ${fragments.join(' ')} fragment F40 on User { id }`)).toBe(1 + 2 ** 40);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
