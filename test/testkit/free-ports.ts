import { subgraphNames, subgraphPortVariable } from '@token-nexus/shared';

/**
 * PORT and every subgraph's port variable set to 0 (a free port each), from the service
 * catalogue: a graph process started with it never takes a default port another one holds,
 * and a new subgraph cannot be forgotten.
 */
export function freePortsEnv(): Record<string, string> {
  return Object.fromEntries(['PORT', ...subgraphNames.map(subgraphPortVariable)].map((name) => [name, '0']));
}
