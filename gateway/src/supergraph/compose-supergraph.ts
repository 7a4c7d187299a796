import { composeServices } from '@apollo/composition';
import { loadTypeDefs, subgraphCatalog, subgraphNames } from '@token-nexus/shared';

export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`Supergraph composition failed:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
  }
}

/** Where a subgraph's schema lives in this repository. */
export function subgraphSchemaPath(name: string): URL {
  return new URL(`../../../subgraphs/${name}/schema.graphql`, import.meta.url);
}

/**
 * Composes the supergraph from every subgraph's schema.graphql with Apollo's Federation 2
 * composition. The URLs recorded in it are the defaults; the gateway overrides them from
 * its configuration at start-up.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphNames.map((name) => ({
      name,
      url: `http://127.0.0.1:${subgraphCatalog[name].defaultPort}/graphql`,
      typeDefs: loadTypeDefs(subgraphSchemaPath(name)),
    })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));
  return result.supergraphSdl;
}
