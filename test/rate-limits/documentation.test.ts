import { composeSupergraph } from '@token-nexus/gateway';
import { Kind, parse, print, type DirectiveDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

/**
 * The directives of a root field in the supergraph, printed (`@join__field(graph: IDENTITY)`).
 * Parsed rather than matched as text: described arguments are printed over several lines.
 */
function directivesOf(supergraph: ReturnType<typeof parse>, type: string, field: string): string[] {
  const definition = supergraph.definitions.find(
    (node): node is ObjectTypeDefinitionNode => node.kind === Kind.OBJECT_TYPE_DEFINITION && node.name.value === type,
  );
  return (definition?.fields?.find((node) => node.name.value === field)?.directives ?? []).map((directive) => print(directive));
}

describe('rate limits are part of the graph developers read', () => {
  test('the composed supergraph carries each @rateLimit (so the gateway knows every limit)', () => {
    const supergraph = parse(composeSupergraph());
    const rateLimit = supergraph.definitions.find(
      (node): node is DirectiveDefinitionNode => node.kind === Kind.DIRECTIVE_DEFINITION && node.name.value === 'rateLimit',
    );
    expect(rateLimit && print({ ...rateLimit, description: undefined, arguments: rateLimit.arguments?.map((arg) => ({ ...arg, description: undefined })) })).toBe(
      'directive @rateLimit(limit: Int!, window: String!, by: [RateLimitKey!]! = [GLOBAL]) repeatable on FIELD_DEFINITION',
    );
    // A field may have several limits; each one reaches the supergraph.
    expect(directivesOf(supergraph, 'Mutation', 'submitForm')).toEqual([
      '@join__field(graph: CMS)',
      '@rateLimit(limit: 10, window: "1m", by: [IP])',
      '@rateLimit(limit: 300, window: "1h", by: [ARG_orgSlug, ARG_pageSlug, ARG_formId])',
    ]);
    expect(directivesOf(supergraph, 'Mutation', 'logIn')).toEqual([
      '@join__field(graph: IDENTITY)',
      '@rateLimit(limit: 10, window: "5m", by: [IP, ARG_email])',
    ]);
    expect(directivesOf(supergraph, 'Mutation', 'exportAuditLogs')).toContain('@rateLimit(limit: 10, window: "1h", by: [ORGANIZATION])');
    expect(directivesOf(supergraph, 'Mutation', 'exportAuditLogs')).toContain('@join__field(graph: AUDIT)');
  });

  test('Sandbox shows each limit in the field\'s description (introspection)', async () => {
    const data = await fixture.graph.client.data(`{ __type(name: "Mutation") { fields { name description } } }`);
    const descriptions = Object.fromEntries(
      data.__type.fields.map((field: { name: string; description: string | null }) => [field.name, field.description]),
    );
    expect(descriptions.logIn).toMatch(/Rate limit: 10 per 5m for each IP address and email\./);
    expect(descriptions.signUp).toMatch(/Rate limit: 10 per 1h for each IP address\./);
    expect(descriptions.addMember).toMatch(/Rate limit: 30 per 1m for each organization\./);
    expect(descriptions.exportAuditLogs).toMatch(/Rate limit: 10 per 1h for each organization\./);
    expect(descriptions.submitForm).toMatch(/Rate limit: 10 per 1m for each IP address\. Rate limit: 300 per 1h for each orgSlug and pageSlug and formId\./);
    expect(descriptions.updateOrganization).not.toMatch(/Rate limit/);
  });
});
