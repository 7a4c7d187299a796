import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/** Reads a subgraph's `schema.graphql` (schema-first: the SDL file is the source of truth). */
export function loadTypeDefs(schemaFile: URL | string): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}
