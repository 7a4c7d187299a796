import { Kind, visit, type DirectiveNode, type DocumentNode, type FieldDefinitionNode, type StringValueNode } from 'graphql';

const rootTypes = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Adds what API keys and OAuth apps need to each root field's description ("API keys and
 * OAuth apps: scope `tokens:read`." or "Not available to API keys and OAuth apps."), and
 * to every other field or type that declares `@scopes`. Introspection, and so
 * Apollo Sandbox, shows descriptions but not directives; this is how developers see the
 * scopes the subgraphs enforce.
 */
export function describeScopes(document: DocumentNode): DocumentNode {
  let insideRoot = false;
  const enterType = (node: { name: { value: string } }) => {
    insideRoot = rootTypes.has(node.name.value);
  };
  return visit(document, {
    ObjectTypeDefinition: { enter: enterType, leave: withScopeSentence },
    ObjectTypeExtension: { enter: enterType },
    FieldDefinition(field: FieldDefinitionNode) {
      const directive = scopesDirective(field.directives);
      if (!directive && !insideRoot) return undefined;
      const sentence = directive
        ? `API keys and OAuth apps: ${scopeSentence(directive)}.`
        : 'Not available to API keys and OAuth apps.';
      return { ...field, description: appended(field.description, sentence) };
    },
  });
}

function withScopeSentence<N extends { directives?: readonly DirectiveNode[] | undefined; description?: StringValueNode | undefined }>(
  node: N,
): N | undefined {
  const directive = scopesDirective(node.directives);
  if (!directive) return undefined;
  return { ...node, description: appended(node.description, `API keys and OAuth apps: ${scopeSentence(directive)}.`) };
}

function scopesDirective(directives: readonly DirectiveNode[] | undefined): DirectiveNode | undefined {
  return directives?.find((directive) => directive.name.value === 'scopes');
}

function scopeSentence(directive: DirectiveNode): string {
  const value = directive.arguments?.find((argument) => argument.name.value === 'anyOf')?.value;
  if (value?.kind !== Kind.LIST) return 'scopes';
  const alternatives = value.values.map((allOf) =>
    allOf.kind === Kind.LIST
      ? allOf.values.map((scope) => (scope.kind === Kind.STRING ? `\`${scope.value}\`` : '')).join(' and ')
      : '',
  );
  return `${alternatives.length === 1 && !alternatives[0]!.includes(' and ') ? 'scope' : 'scopes'} ${alternatives.join(' or ')}`;
}

function appended(description: StringValueNode | undefined, sentence: string): StringValueNode {
  const value = description?.value ? `${description.value}\n\n${sentence}` : sentence;
  return { kind: Kind.STRING, value, block: true };
}
