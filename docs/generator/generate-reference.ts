import { isIntrospectionType, isSpecifiedScalarType, parse, validate, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import type { ApiExample } from '../examples/api-example.ts';
import { buildApiSchema } from './api-schema.ts';
import { domains, indexFile, type Domain } from './domains.ts';
import { typeAnchor, type TypeLocator } from './markdown.ts';
import { renderDomainPage } from './render-domain-page.ts';
import { renderIndex } from './render-index.ts';
import { readSupergraphFacts, rootTypeNames, type SupergraphFacts } from './supergraph-facts.ts';

/** Where the reference is committed. */
export const referenceDirectory = new URL('../api/', import.meta.url);

/** The reference as files of docs/api: `README.md` (the index) and one page per domain. */
export type Reference = Map<string, string>;

/** Builds the whole reference from a supergraph's SDL and the examples. */
export function generateReference(supergraphSdl: string, examples: readonly ApiExample[]): Reference {
  const schema = buildApiSchema(supergraphSdl);
  const facts = readSupergraphFacts(supergraphSdl);
  checkExamples(schema, examples);
  const locate = typeLocator(facts);
  const reference: Reference = new Map();
  reference.set(indexFile, renderIndex({ schema, facts, locate, sharedTypes: typesOf(schema, facts, null) }));
  for (const domain of domains) {
    reference.set(
      domain.file,
      renderDomainPage({ domain, schema, facts, locate, examples, types: typesOf(schema, facts, domain) }),
    );
  }
  return reference;
}

/** A type's page is its home subgraph's; a type without one is on the index. */
function typeLocator(facts: SupergraphFacts): TypeLocator {
  return (type: GraphQLNamedType) => {
    const home = facts.homeOf.get(type.name);
    const domain = domains.find((candidate) => candidate.subgraph === home);
    return { file: domain?.file ?? indexFile, anchor: typeAnchor(type.name) };
  };
}

/** The types a page documents (null: the index's shared ones), by name; root types are the operations. */
function typesOf(schema: GraphQLSchema, facts: SupergraphFacts, domain: Domain | null): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type))
    .filter((type) => !(rootTypeNames as readonly string[]).includes(type.name))
    .filter((type) => (domains.find((candidate) => candidate.subgraph === facts.homeOf.get(type.name)) ?? null) === domain)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every example must be for a root field the schema has, and be a valid operation of it. */
function checkExamples(schema: GraphQLSchema, examples: readonly ApiExample[]): void {
  for (const example of examples) {
    const [rootName, fieldName] = example.field.split('.');
    const root = rootName === 'Query' ? schema.getQueryType() : rootName === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root?.getFields()[fieldName ?? '']) {
      throw new Error(`the example "${example.title}" is for ${example.field}, which the schema does not have`);
    }
    const errors = validate(schema, parse(example.operation));
    if (errors.length > 0) throw new Error(`the example "${example.title}" is not valid: ${errors.map((error) => error.message).join('; ')}`);
  }
}
