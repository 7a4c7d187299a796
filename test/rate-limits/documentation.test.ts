import { composeSupergraph } from '@token-nexus/gateway';
import { describe, expect, test } from 'vitest';
import { useTestGraph } from '../testkit/use-test-graph.ts';

const fixture = useTestGraph();

describe('rate limits are part of the graph developers read', () => {
  test('the composed supergraph carries each @rateLimit (so the gateway knows every limit)', () => {
    const supergraph = composeSupergraph();
    expect(supergraph).toContain('directive @rateLimit(limit: Int!, window: String!, by: [RateLimitKey!]! = [GLOBAL]) on FIELD_DEFINITION');
    expect(supergraph).toMatch(/logIn\(input: LogInInput!\): AuthPayload! @join__field\(graph: IDENTITY\) @rateLimit\(limit: 10, window: "5m", by: \[IP, ARG_email\]\)/);
    expect(supergraph).toMatch(/exportAuditLogs\(.*\): AuditExport! @join__field\(graph: AUDIT\) (@scopes\(.*\) )?@rateLimit\(limit: 10, window: "1h", by: \[ORGANIZATION\]\)/);
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
    expect(descriptions.updateOrganization).not.toMatch(/Rate limit/);
  });
});
