import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { AssumedListSizes } from './assumed-list-sizes.ts';

export interface QueryCostOptions {
  /** The size assumed for a list whose `first` is absent or unusable (DEFAULT_LIST_SIZE). */
  defaultListSize: number;
  /** The request's variables, so `first: $n` costs what it will fetch. */
  variables?: Readonly<Record<string, unknown>> | null;
  /** Sizes subgraphs declare for lists without `first` (`@listSize(assumedSize:)`). */
  assumedListSizes?: AssumedListSizes;
}

/**
 * An estimate of the work an operation asks for, before running it:
 * - every field costs 1 (meta fields such as `__typename` and introspection cost nothing);
 * - a list field costs 1 plus its size times the cost of its selection, so nested lists
 *   multiply. Its size is its `first` argument when it takes one, else the size its
 *   subgraph assumes for it with `@listSize(assumedSize:)`, else DEFAULT_LIST_SIZE;
 * - a connection (a field taking `first` that returns an object, e.g. `members`) costs 1
 *   plus its selection, whose lists (`edges`) take the connection's `first` as their size:
 *   `totalCount` and `pageInfo` are fetched once, not once per row.
 *
 * `first` is read from the literal, else from the request's variable, else from the
 * variable's default in the operation, else from the argument's default in the schema;
 * anything that is not a whole number ≥ 0 (the subgraph will refuse it) counts as
 * DEFAULT_LIST_SIZE, so no value can make an operation cheaper than it is.
 *
 * Fragments (named or inline) are expanded where they are spread. Each fragment is priced
 * once per list size and remembered, so a fragment spread many times (or a "fragment bomb")
 * costs linear time to price; a fragment spread inside itself costs nothing on the way back
 * round, so a cycle cannot hang this (graphql-js refuses such a document anyway).
 * `@include`/`@skip` are ignored: a field that might run is priced as if it will.
 *
 * graphql-armor's cost limit is not used: it multiplies by `first` only when it is written
 * as a literal (`first: $n` counts as 1, so any page size passes behind a variable), gives a
 * list without `first` no size at all, and weighs fields by their depth instead.
 *
 * Types are told apart by graphql-js's own tags rather than `isListType`-style predicates,
 * which throw on a schema built by another copy of graphql-js (see operation-limit-error.ts);
 * so this prices Apollo's schema and a test's alike.
 */
export function queryCost(
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  options: QueryCostOptions,
): number {
  const { defaultListSize } = options;
  const variables = options.variables ?? {};
  const variableDefaults = new Map(
    (operation.variableDefinitions ?? []).map((definition) => [
      definition.variable.name.value,
      definition.defaultValue,
    ]),
  );
  const priced = new Map<string, number>();
  const expanding = new Set<string>();

  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      return Object.hasOwn(variables, name) ? variables[name] : valueOf(variableDefaults.get(name));
    }
    return undefined;
  };

  const listSize = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    const argument = field.arguments?.find((candidate) => candidate.name.value === 'first');
    const size = argument
      ? valueOf(argument.value)
      : definition.args.find((candidate) => candidate.name === 'first')?.defaultValue;
    return typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : defaultListSize;
  };

  /** `pageSize`: the `first` of the connection this selection belongs to, for its lists. */
  const selectionCost = (
    set: SelectionSetNode,
    parentType: GraphQLNamedType | undefined,
    pageSize: number | undefined,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parentType, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        total += selectionCost(selection.selectionSet, type ?? undefined, pageSize);
      } else {
        total += fragmentCost(selection.name.value, pageSize);
      }
    }
    return total;
  };

  const fragmentCost = (name: string, pageSize: number | undefined): number => {
    const definition = fragment(name);
    if (!definition || expanding.has(name)) return 0;
    const key = `${name}:${pageSize ?? ''}`;
    let cost = priced.get(key);
    if (cost === undefined) {
      expanding.add(name);
      const type = schema.getType(definition.typeCondition.name.value) ?? undefined;
      cost = selectionCost(definition.selectionSet, type, pageSize);
      expanding.delete(name);
      priced.set(key, cost);
    }
    return cost;
  };

  const fieldCost = (field: FieldNode, parentType: GraphQLNamedType | undefined, pageSize: number | undefined) => {
    if (field.name.value.startsWith('__')) return 0;
    if (!field.selectionSet) return 1;
    const definition = fieldsOf(parentType)?.[field.name.value];
    // An unknown field (the document is refused by graphql-js anyway) is priced as an object.
    if (!definition) return 1 + selectionCost(field.selectionSet, undefined, undefined);
    const type = namedType(definition.type);
    const paged = definition.args.some((argument) => argument.name === 'first');
    if (isList(definition.type)) {
      const assumed = options.assumedListSizes?.get(`${parentType?.name}.${field.name.value}`);
      const size = paged ? listSize(field, definition) : (pageSize ?? assumed ?? defaultListSize);
      return 1 + size * selectionCost(field.selectionSet, type, undefined);
    }
    return 1 + selectionCost(field.selectionSet, type, paged ? listSize(field, definition) : undefined);
  };

  const rootType = schema.getRootType(operation.operation) ?? undefined;
  return selectionCost(operation.selectionSet, rootType, undefined);
}

/** graphql-js's tag of a type: `GraphQLList`, `GraphQLNonNull`, `GraphQLObjectType`… */
function tagOf(type: unknown): string | undefined {
  return (type as { [Symbol.toStringTag]?: string } | undefined)?.[Symbol.toStringTag];
}

/** `[T]`, `[T]!`, `[T!]!`: a list, whether or not it may be null. */
function isList(type: GraphQLOutputType): boolean {
  const nullable = tagOf(type) === 'GraphQLNonNull' && 'ofType' in type ? type.ofType : type;
  return tagOf(nullable) === 'GraphQLList';
}

/** The type inside any list and non-null wrappers. */
function namedType(type: GraphQLOutputType): GraphQLNamedType {
  let inner: GraphQLOutputType = type;
  while ('ofType' in inner) inner = inner.ofType;
  return inner;
}

/** The fields of an object or interface type; none for a union or an unknown type. */
function fieldsOf(type: GraphQLNamedType | undefined): Record<string, GraphQLField<unknown, unknown>> | undefined {
  const tag = tagOf(type);
  return (tag === 'GraphQLObjectType' || tag === 'GraphQLInterfaceType') && type && 'getFields' in type
    ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>)
    : undefined;
}
