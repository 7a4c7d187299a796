import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Interface, type JsonFragment } from 'ethers';

/**
 * The NexusToken contract as deployed: ABI and creation bytecode from the committed
 * artifact (`contracts/NexusToken.json`, written by `pnpm --filter @token-nexus/tokens
 * build:contract`). Read rather than compiled so that solc is not needed at run time and
 * the bytecode is the reviewed one; a test checks that the artifact matches the source.
 */
export interface NexusTokenArtifact {
  contractName: string;
  compiler: string;
  sourceHash: string;
  abi: JsonFragment[];
  bytecode: string;
}

const artifactFile = fileURLToPath(new URL('../../contracts/NexusToken.json', import.meta.url));

function loadArtifact(): NexusTokenArtifact {
  const artifact = JSON.parse(readFileSync(artifactFile, 'utf8')) as Partial<NexusTokenArtifact>;
  if (!Array.isArray(artifact.abi) || typeof artifact.bytecode !== 'string' || !/^0x[0-9a-f]+$/i.test(artifact.bytecode)) {
    throw new Error(`${artifactFile} has no ABI or bytecode; run pnpm --filter @token-nexus/tokens build:contract`);
  }
  return artifact as NexusTokenArtifact;
}

export const nexusTokenArtifact: NexusTokenArtifact = loadArtifact();
export const nexusTokenAbi: readonly JsonFragment[] = nexusTokenArtifact.abi;
/** Creation bytecode, 0x-prefixed; constructor arguments are appended to it. */
export const nexusTokenBytecode: string = nexusTokenArtifact.bytecode;
/** Encodes calls and decodes results, events and custom errors (`EnforcedPause`, …). */
export const nexusTokenInterface: Interface = new Interface(nexusTokenAbi);
