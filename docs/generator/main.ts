/** `pnpm docs`: writes the API reference (docs/api) from gateway/supergraph.graphql and docs/examples. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { examples } from '../examples/index.ts';
import { readSupergraphSdl } from './api-schema.ts';
import { generateReference, referenceDirectory } from './generate-reference.ts';

const directory = referenceDirectory.pathname;
mkdirSync(directory, { recursive: true });
// Pages of domains that no longer exist go too: the folder holds exactly the reference.
for (const file of readdirSync(directory)) if (file.endsWith('.md')) rmSync(new URL(file, referenceDirectory));
const reference = generateReference(readSupergraphSdl(), examples);
for (const [file, content] of reference) writeFileSync(new URL(file, referenceDirectory), content);
console.log(`Wrote ${reference.size} pages to ${directory}`);
