import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
} from 'graphql';

/** A field's `@rateLimit`, as the supergraph keeps it. */
export interface RateLimit {
  limit: number;
  window: string;
  by: string[];
}

/** What the supergraph says of a root field beyond its type: who serves it, and its directives. */
export interface RootFieldFacts {
  /** The subgraph that resolves it (lower-case, e.g. `identity`). */
  subgraph: string;
  /** Every `@rateLimit` of the field (a field may have several), in the order written. */
  rateLimits: RateLimit[];
  /** `@scopes(anyOf:)`: alternatives of scopes needed together; null when it declares none. */
  scopes: string[][] | null;
}

/** What documentation needs of the supergraph that the API schema no longer carries. */
export interface SupergraphFacts {
  /** By `Query.me`, `Mutation.signUp`, `Subscription.pageEvents`. */
  rootFields: Map<string, RootFieldFacts>;
  /** The subgraph whose page documents a type; absent for types several subgraphs share. */
  homeOf: Map<string, string>;
}

/** The root types, in the order the reference lists their fields. */
export const rootTypeNames = ['Query', 'Mutation', 'Subscription'] as const;

/**
 * Reads the supergraph's join directives (which subgraph serves a field, which define a
 * type) and the composed `@rateLimit` and `@scopes`. A type's home is the subgraph that
 * serves most of its fields (an entity such as Organization lives where its owner is),
 * or the one subgraph that defines it; a type several define alike (PageInfo, DateTime,
 * ErrorCode) has none and is documented on the index.
 */
export function readSupergraphFacts(supergraphSdl: string): SupergraphFacts {
  const document = parse(supergraphSdl);
  const graphNames = joinGraphNames(document.definitions);
  const rootFields = new Map<string, RootFieldFacts>();
  const homeOf = new Map<string, string>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const fields = 'fields' in definition ? ((definition.fields ?? []) as readonly { directives?: readonly ConstDirectiveNode[] }[]) : [];
    if ((rootTypeNames as readonly string[]).includes(typeName) && definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      for (const field of definition.fields ?? []) rootFields.set(`${typeName}.${field.name.value}`, rootFieldFacts(field, graphNames));
    }
    const typeDirectives = (definition.directives ?? []) as readonly ConstDirectiveNode[];
    const typeGraphs = typeDirectives.filter((d) => d.name.value === 'join__type').map((d) => graphOf(d, graphNames));
    const fieldGraphs = fields.flatMap((field) =>
      (field.directives ?? []).filter((d) => d.name.value === 'join__field').map((d) => graphOf(d, graphNames)),
    );
    const home = fieldGraphs.length > 0 ? mostCommon(fieldGraphs) : typeGraphs.length === 1 ? typeGraphs[0] : undefined;
    if (home) homeOf.set(typeName, home);
  }
  return { rootFields, homeOf };
}

function rootFieldFacts(field: FieldDefinitionNode, graphNames: Map<string, string>): RootFieldFacts {
  const directives = field.directives ?? [];
  const join = directives.find((d) => d.name.value === 'join__field');
  if (!join) throw new Error(`root field ${field.name.value} names no subgraph (join__field)`);
  const scopes = directives.find((d) => d.name.value === 'scopes');
  return {
    subgraph: graphOf(join, graphNames),
    rateLimits: directives
      .filter((d) => d.name.value === 'rateLimit')
      .map((rateLimit) => ({
        limit: Number(literal(argument(rateLimit, 'limit'))),
        window: String(literal(argument(rateLimit, 'window'))),
        by: (literal(argument(rateLimit, 'by')) as string[] | undefined) ?? ['GLOBAL'],
      })),
    scopes: scopes ? (literal(argument(scopes, 'anyOf')) as string[][]) : null,
  };
}

/** `IDENTITY` → `identity`, from `enum join__Graph { IDENTITY @join__graph(name: "identity", …) }`. */
function joinGraphNames(definitions: readonly DefinitionNode[]): Map<string, string> {
  const graphEnum = definitions.find(
    (definition): definition is EnumTypeDefinitionNode =>
      definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (!graphEnum) throw new Error('the supergraph has no join__Graph enum');
  return new Map(
    (graphEnum.values ?? []).map((value) => {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      return [value.name.value, String(literal(graph && argument(graph, 'name')))];
    }),
  );
}

function graphOf(directive: ConstDirectiveNode, graphNames: Map<string, string>): string {
  const value = argument(directive, 'graph');
  const name = value?.kind === Kind.ENUM ? graphNames.get(value.value) : undefined;
  if (!name) throw new Error(`@${directive.name.value} names an unknown graph`);
  return name;
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

function literal(value: ConstValueNode | undefined): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case Kind.LIST:
      return value.values.map(literal);
    case Kind.INT:
    case Kind.FLOAT:
      return Number(value.value);
    case Kind.STRING:
    case Kind.ENUM:
      return value.value;
    case Kind.BOOLEAN:
      return value.value;
    default:
      return undefined;
  }
}

/** The most frequent value; a tie goes to the one seen first. */
function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0]!;
  for (const [value, count] of counts) if (count > counts.get(best)!) best = value;
  return best;
}
