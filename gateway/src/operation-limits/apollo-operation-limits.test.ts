import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import { defaultSupergraphPath, loadGatewayConfig } from '../config.ts';
import { apolloOperationLimits } from './apollo-operation-limits.ts';
import { queryCost } from './query-cost.ts';

const schema = buildSchema(readFileSync(defaultSupergraphPath, 'utf8'));
const defaults = loadGatewayConfig({}).operationLimits;
const { parseOptions, validationRules } = apolloOperationLimits(defaults);

/** The limits an operation breaks under the default configuration, as their messages. */
function refusals(query: string): string[] {
  const document = parse(query, parseOptions);
  const messages = validate(schema, document, [...specifiedRules, ...validationRules]).map((error) => error.message);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  )!;
  const fragment = (name: string) =>
    document.definitions.find(
      (definition): definition is FragmentDefinitionNode =>
        definition.kind === 'FragmentDefinition' && definition.name.value === name,
    );
  const cost = queryCost(operation, schema, fragment, { defaultListSize: defaults.defaultListSize });
  return cost > defaults.maxCost ? [...messages, `cost ${cost}`] : messages;
}

describe('the default limits', () => {
  test("let Apollo Sandbox's schema query through", () => {
    expect(
      refusals(
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
        }),
      ),
    ).toEqual([]);
  });

  test('let a full dashboard page through: 100 members and 100 audit entries with their people', () => {
    const dashboard = `query Dashboard($slug: String!) {
      me { id displayName memberships { role organization { id name slug } } }
      organization(slug: $slug) {
        id name slug viewerRole
        members(first: 100) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node { role createdAt user { id email displayName } } }
        }
        auditLogs(first: 100) {
          pageInfo { hasNextPage endCursor }
          edges { node { id sequence occurredAt action severity targetType targetId actor { id displayName } } }
        }
      }
    }`;
    expect(refusals(dashboard)).toEqual([]);
  });

  test("refuse walking the membership graph: each member's organizations' members", () => {
    const walk = `query ($slug: String!) {
      organization(slug: $slug) {
        members(first: 100) {
          edges { node { user { memberships { organization { members(first: 100) { totalCount } } } } } }
        }
      }
    }`;
    expect(refusals(walk)).toEqual([expect.stringMatching(/^cost \d+$/)]);
  });
});
