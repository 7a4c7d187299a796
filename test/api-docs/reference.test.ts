import { readFileSync, readdirSync } from 'node:fs';
import {
  buildApiSchema,
  domains,
  examples,
  generateReference,
  readSupergraphFacts,
  readSupergraphSdl,
  referenceDirectory,
} from '@token-nexus/docs';
import { describe, expect, test } from 'vitest';

const supergraphSdl = readSupergraphSdl();
const fresh = generateReference(supergraphSdl, examples);

/** `Query.me`, `Mutation.signUp`… for every root field clients can call. */
function rootFields(): string[] {
  const schema = buildApiSchema(supergraphSdl);
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((root) =>
    root ? Object.keys(root.getFields()).map((name) => `${root.name}.${name}`) : [],
  );
}

describe('the API reference in docs/api', () => {
  test('is what `pnpm run docs` generates from the committed supergraph and examples', () => {
    const committed = readdirSync(referenceDirectory).filter((file) => file.endsWith('.md')).sort();
    expect(committed).toEqual([...fresh.keys()].sort());
    for (const [file, content] of fresh) expect(readFileSync(new URL(file, referenceDirectory), 'utf8'), file).toBe(content);
  });

  test('documents every query, mutation and subscription on the page of the subgraph that serves it', () => {
    const facts = readSupergraphFacts(supergraphSdl);
    const misplaced = rootFields().filter((name) => {
      const page = domains.find((domain) => domain.subgraph === facts.rootFields.get(name)?.subgraph);
      const [rootType, field] = name.split('.') as [string, string];
      return !page || !fresh.get(page.file)?.includes(`<a id="${rootType.toLowerCase()}-${field.toLowerCase()}"></a>`);
    });
    expect(misplaced).toEqual([]);
  });

  test('has an example for every query, mutation and subscription', () => {
    const shown = new Set(examples.map((example) => example.field));
    expect(rootFields().filter((name) => !shown.has(name))).toEqual([]);
  });
});
