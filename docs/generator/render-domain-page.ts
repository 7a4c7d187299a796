import type { GraphQLNamedType, GraphQLSchema } from 'graphql';
import type { ApiExample } from '../examples/api-example.ts';
import { indexFile, type Domain } from './domains.ts';
import { fieldAnchor, generatedNotice, link, typeAnchor, type TypeLocator } from './markdown.ts';
import { renderOperation } from './render-operation.ts';
import { kindOf, renderType, typeKinds } from './render-type.ts';
import { rootTypeNames, type SupergraphFacts } from './supergraph-facts.ts';

const sectionTitles: Record<(typeof rootTypeNames)[number], string> = {
  Query: 'Queries',
  Mutation: 'Mutations',
  Subscription: 'Subscriptions',
};

const kindTitles: Record<(typeof typeKinds)[number], string> = {
  object: 'Objects',
  input: 'Inputs',
  enum: 'Enums',
  union: 'Unions',
  scalar: 'Scalars',
};

/** A domain's page: its operations (those its subgraph serves), then the types it is home to. */
export function renderDomainPage(options: {
  domain: Domain;
  schema: GraphQLSchema;
  facts: SupergraphFacts;
  locate: TypeLocator;
  examples: readonly ApiExample[];
  types: GraphQLNamedType[];
}): string {
  const { domain, schema, facts, locate, examples, types } = options;
  const parts = [generatedNotice, `# ${domain.title}`, domain.summary, `Back to the ${link('API reference', indexFile)}.`];
  const contents: string[] = [];
  const sections: string[] = [];
  for (const rootName of rootTypeNames) {
    const root = rootName === 'Query' ? schema.getQueryType() : rootName === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    const fields = Object.values(root?.getFields() ?? {}).filter(
      (field) => facts.rootFields.get(`${rootName}.${field.name}`)?.subgraph === domain.subgraph,
    );
    if (fields.length === 0) continue;
    contents.push(
      `- ${sectionTitles[rootName]}: ${fields.map((field) => `[\`${field.name}\`](#${fieldAnchor(rootName, field.name)})`).join(', ')}`,
    );
    sections.push(`## ${sectionTitles[rootName]}`);
    for (const field of fields) {
      sections.push(
        renderOperation({
          rootType: rootName,
          field,
          facts: facts.rootFields.get(`${rootName}.${field.name}`)!,
          examples: examples.filter((example) => example.field === `${rootName}.${field.name}`),
          file: domain.file,
          locate,
        }),
      );
    }
  }
  for (const kind of typeKinds) {
    const ofKind = types.filter((type) => kindOf(type) === kind);
    if (ofKind.length === 0) continue;
    contents.push(`- ${kindTitles[kind]}: ${ofKind.map((type) => `[\`${type.name}\`](#${typeAnchor(type.name)})`).join(', ')}`);
    sections.push(`## ${kindTitles[kind]}`, ...ofKind.map((type) => renderType(type, domain.file, locate)));
  }
  parts.push(`## Contents\n\n${contents.join('\n')}`, ...sections);
  return `${parts.join('\n\n')}\n`;
}
