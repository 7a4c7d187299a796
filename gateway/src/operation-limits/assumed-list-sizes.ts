import { Kind, parse, type ConstDirectiveNode } from 'graphql';

/** `Type.field` → the size its subgraph assumes for the list it returns. */
export type AssumedListSizes = ReadonlyMap<string, number>;

function assumedSizeOf(directives: readonly ConstDirectiveNode[] | undefined): number | null {
  const directive = directives?.find((candidate) => candidate.name.value === 'listSize');
  const argument = directive?.arguments?.find((candidate) => candidate.name.value === 'assumedSize');
  if (argument?.value.kind !== Kind.INT) return null;
  const size = Number(argument.value.value);
  return Number.isInteger(size) && size >= 0 ? size : null;
}

/**
 * The list sizes subgraphs declare with Federation's `@listSize(assumedSize:)` (the
 * directive Apollo Router's demand control reads), from the supergraph's SDL: the API
 * schema Apollo executes against no longer carries the directive.
 */
export function assumedListSizes(supergraphSdl: string): AssumedListSizes {
  const sizes = new Map<string, number>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const size = assumedSizeOf(field.directives);
      if (size !== null) sizes.set(`${definition.name.value}.${field.name.value}`, size);
    }
  }
  return sizes;
}
