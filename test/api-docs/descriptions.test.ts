import { buildApiSchema, readSupergraphSdl, undescribedElements } from '@token-nexus/docs';
import { buildSchema } from 'graphql';
import { describe, expect, test } from 'vitest';

describe('descriptions', () => {
  test('every type, field, argument, input field and enum value clients can introspect has a description of its own', () => {
    expect(undescribedElements(buildApiSchema(readSupergraphSdl()))).toEqual([]);
  });

  test('an element without one is listed by name, and the generated rate-limit and scope sentences do not count', () => {
    const schema = buildSchema(`
      "The root."
      type Query {
        "Not available to API keys and OAuth apps."
        token(id: ID!, "How many." first: Int): Token
      }
      type Token {
        "Rate limit: 10 per 1m for each user.\\n\\nAPI keys and OAuth apps: scope \`tokens:read\`."
        name: String
      }
      "A colour."
      enum Colour { "Red." RED BLUE }
      "A filter."
      input Filter { colour: Colour }
    `);
    expect(undescribedElements(schema)).toEqual([
      'Colour.BLUE',
      'Filter.colour',
      'Query.token',
      'Query.token(id)',
      'Token',
      'Token.name',
    ]);
  });
});
