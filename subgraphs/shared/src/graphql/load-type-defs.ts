import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { describeRateLimits } from './describe-rate-limits.ts';
import { describeScopes } from '../scopes/describe-scopes.ts';

/**
 * SDL every subgraph's schema includes (the @rateLimit and @scopes directives, the error
 * codes), kept in shared files.
 */
export const sharedSchemaFiles = [
  new URL('../../schema/errors.graphql', import.meta.url),
  new URL('../../schema/cache-control.graphql', import.meta.url),
  new URL('../../schema/rate-limit.graphql', import.meta.url),
  new URL('../../schema/scopes.graphql', import.meta.url),
];

/**
 * Reads a subgraph's SDL: the shared definitions, then its own `schema.graphql`
 * (schema-first: these files are the source of truth).
 */
export function readSubgraphSdl(schemaFile: URL | string): string {
  return [...sharedSchemaFiles, schemaFile].map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** A subgraph's type definitions, parsed from {@link readSubgraphSdl}, limits and scopes described. */
export function loadTypeDefs(schemaFile: URL | string): DocumentNode {
  return describeScopes(describeRateLimits(parse(readSubgraphSdl(schemaFile))));
}
