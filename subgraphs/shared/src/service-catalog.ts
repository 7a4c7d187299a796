/**
 * The services of the graph and the ports they listen on by default. Composition, the
 * gateway's subgraph URLs, each subgraph's config and the compose file check all start
 * from this one list, so adding a subgraph starts here.
 */
export const gatewayDefaultPort = 4000;

export const subgraphCatalog = {
  identity: { defaultPort: 4001 },
  audit: { defaultPort: 4002 },
  cms: { defaultPort: 4003 },
  tokens: { defaultPort: 4004 },
  ai: { defaultPort: 4005 },
  integrations: { defaultPort: 4006 },
  analytics: { defaultPort: 4007 },
  workflows: { defaultPort: 4008 },
  media: { defaultPort: 4009 },
} as const;

export type SubgraphName = keyof typeof subgraphCatalog;

export const subgraphNames = Object.keys(subgraphCatalog) as SubgraphName[];

/** The variable a subgraph reads its listening port from, e.g. `IDENTITY_PORT`. */
export function subgraphPortVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_PORT`;
}

/** The variable the gateway reads a subgraph's GraphQL URL from, e.g. `IDENTITY_URL`. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_URL`;
}
