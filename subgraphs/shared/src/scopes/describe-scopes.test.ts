import { parse, print } from 'graphql';
import { describe, expect, test } from 'vitest';
import { describeScopes } from './describe-scopes.ts';

describe('describeScopes', () => {
  test('adds the scope to root fields that declare one, and says which are closed to keys', () => {
    const printed = print(
      describeScopes(
        parse(`
          type Query {
            "Tokens."
            tokens: [String] @scopes(anyOf: [["tokens:read"]])
            me: String
            either: String @scopes(anyOf: [["a", "b"], ["c"]])
          }
          type Token @scopes(anyOf: [["tokens:read"]]) { name: String }
          type Other { name: String }
        `),
      ),
    );
    expect(printed).toContain('"""\n  Tokens.\n  \n  API keys and OAuth apps: scope `tokens:read`.\n  """');
    expect(printed).toContain('"""Not available to API keys and OAuth apps."""\n  me: String');
    expect(printed).toContain('API keys and OAuth apps: scopes `a` and `b` or `c`.');
    expect(printed).toContain('"""API keys and OAuth apps: scope `tokens:read`."""\ntype Token');
    expect(printed).toContain('type Other {\n  name: String\n}');
  });
});
