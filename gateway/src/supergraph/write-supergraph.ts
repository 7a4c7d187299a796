/** `pnpm compose`: writes gateway/supergraph.graphql from the subgraphs' schemas. */
import { writeFileSync } from 'node:fs';
import { defaultSupergraphPath } from '../config.ts';
import { CompositionError, composeSupergraph } from './compose-supergraph.ts';

try {
  writeFileSync(defaultSupergraphPath, composeSupergraph());
  console.log(`Wrote ${defaultSupergraphPath}`);
} catch (error) {
  if (!(error instanceof CompositionError)) throw error;
  console.error(error.message);
  process.exit(1);
}
