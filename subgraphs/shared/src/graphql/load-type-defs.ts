import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { describeRateLimits } from './describe-rate-limits.ts';

/** SDL every subgraph's schema includes (the @rateLimit directive), kept in one file. */
export const sharedSchemaFile = new URL('../../schema/rate-limit.graphql', import.meta.url);

/**
 * Reads a subgraph's SDL: the shared definitions, then its own `schema.graphql`
 * (schema-first: these files are the source of truth).
 */
export function readSubgraphSdl(schemaFile: URL | string): string {
  return `${readFileSync(sharedSchemaFile, 'utf8')}\n${readFileSync(schemaFile, 'utf8')}`;
}

/** A subgraph's type definitions, parsed from {@link readSubgraphSdl}, limits described. */
export function loadTypeDefs(schemaFile: URL | string): DocumentNode {
  return describeRateLimits(parse(readSubgraphSdl(schemaFile)));
}
