import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonFragment } from 'ethers';

/**
 * A contract as deployed: ABI and creation bytecode from its committed artifact
 * (`contracts/<name>.json`, written by `pnpm --filter @token-nexus/tokens build:contract`).
 * Read rather than compiled so that solc is not needed at run time and the bytecode is the
 * reviewed one; a test checks that every artifact matches its source.
 */
export interface ContractArtifact {
  contractName: string;
  compiler: string;
  sourceHash: string;
  abi: JsonFragment[];
  /** Creation bytecode, 0x-prefixed; constructor arguments are appended to it. */
  bytecode: string;
}

/** Reads `contracts/<contractName>.json`; throws, saying how to rebuild it, when it is not an artifact of that contract. */
export function loadArtifact(contractName: string): ContractArtifact {
  const artifactFile = fileURLToPath(new URL(`../../contracts/${contractName}.json`, import.meta.url));
  const artifact = JSON.parse(readFileSync(artifactFile, 'utf8')) as Partial<ContractArtifact>;
  if (
    artifact.contractName !== contractName ||
    !Array.isArray(artifact.abi) ||
    typeof artifact.bytecode !== 'string' ||
    !/^0x[0-9a-f]+$/i.test(artifact.bytecode)
  ) {
    throw new Error(`${artifactFile} has no ${contractName} ABI or bytecode; run pnpm --filter @token-nexus/tokens build:contract`);
  }
  return artifact as ContractArtifact;
}
