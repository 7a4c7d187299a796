import { Kind, visit, type ConstDirectiveNode, type DocumentNode, type FieldDefinitionNode, type ValueNode } from 'graphql';

const keyNames: Record<string, string> = {
  USER: 'user',
  ORGANIZATION: 'organization',
  API_KEY: 'API key',
  IP: 'IP address',
  GLOBAL: 'everyone together',
};

/**
 * Adds each field's rate limit to its description ("Rate limit: 10 per 5m for each IP
 * address and email."). Introspection, and so Apollo Sandbox, shows descriptions but not
 * directives: this is how developers reading the graph see the limits the gateway and
 * subgraphs enforce, without anyone keeping the text in step by hand.
 */
export function describeRateLimits(document: DocumentNode): DocumentNode {
  return visit(document, {
    FieldDefinition(field: FieldDefinitionNode) {
      const directives = field.directives?.filter((candidate) => candidate.name.value === 'rateLimit') ?? [];
      if (directives.length === 0) return undefined;
      const sentence = directives.map(rateLimitSentence).join(' ');
      const description = field.description?.value ? `${field.description.value}\n\n${sentence}` : sentence;
      return { ...field, description: { kind: Kind.STRING, value: description, block: true } };
    },
  });
}

/** "Rate limit: 10 per 5m for each IP address and email." */
function rateLimitSentence(directive: ConstDirectiveNode): string {
  const argument = (name: string) => directive.arguments?.find((arg) => arg.name.value === name)?.value;
  const limit = literal(argument('limit'));
  const window = literal(argument('window'));
  const byValue = argument('by');
  const by = byValue?.kind === Kind.LIST ? byValue.values.map(literal) : byValue ? [literal(byValue)] : ['GLOBAL'];
  const keys = by.map((key) => keyNames[key] ?? key.replace(/^ARG_/, '')).join(' and ');
  return `Rate limit: ${limit} per ${window} for each ${keys}.`;
}

function literal(value: ValueNode | undefined): string {
  if (!value) return '';
  return 'value' in value ? String(value.value) : '';
}
