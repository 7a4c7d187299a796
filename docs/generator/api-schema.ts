import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/** The committed supergraph, which `pnpm compose` writes and the gateway serves. */
export const supergraphPath = new URL('../../gateway/supergraph.graphql', import.meta.url);

/** The committed supergraph's SDL. */
export function readSupergraphSdl(): string {
  return readFileSync(supergraphPath, 'utf8');
}

/**
 * The schema clients introspect, derived from the supergraph as the gateway derives it:
 * federation's plumbing (join__*, link__*, _Service, _Entity) and the composed directives
 * are not part of it.
 */
export function buildApiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
