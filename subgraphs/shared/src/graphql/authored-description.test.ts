import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { describeScopes } from '../scopes/describe-scopes.ts';
import { authoredDescription } from './authored-description.ts';
import { describeRateLimits } from './describe-rate-limits.ts';

/** The descriptions of Query's fields once loadTypeDefs' describers have run. */
function describedFields(sdl: string): Record<string, string> {
  const document = describeScopes(describeRateLimits(parse(sdl)));
  const query = document.definitions.find(
    (definition): definition is ObjectTypeDefinitionNode => definition.kind === Kind.OBJECT_TYPE_DEFINITION,
  )!;
  return Object.fromEntries(
    (query.fields ?? []).map((field: FieldDefinitionNode) => [field.name.value, field.description?.value ?? '']),
  );
}

describe('authoredDescription', () => {
  test('takes away the rate-limit and scope sentences and keeps what the author wrote', () => {
    const fields = describedFields(`
      type Query {
        """
        Signs in.

        Twice a day at most.
        """
        logIn: String @rateLimit(limit: 10, window: "5m", by: [IP, ARG_email])
        tokens: [String] @scopes(anyOf: [["a", "b"], ["c"]])
        bare: String
      }
    `);
    expect(authoredDescription(fields.logIn)).toBe('Signs in.\n\nTwice a day at most.');
    expect(authoredDescription(fields.tokens)).toBe('');
    expect(authoredDescription(fields.bare)).toBe('');
  });

  test('answers an empty string for a missing description', () => {
    expect(authoredDescription(undefined)).toBe('');
    expect(authoredDescription(null)).toBe('');
  });
});
