import { Interface, type JsonFragment } from 'ethers';
import { loadArtifact, type ContractArtifact } from './load-artifact.ts';

/**
 * The NexusToken contract as deployed in full (one contract per token), from its committed
 * artifact `contracts/NexusToken.json` (see `load-artifact.ts`).
 */
export type NexusTokenArtifact = ContractArtifact;

export const nexusTokenArtifact: NexusTokenArtifact = loadArtifact('NexusToken');
export const nexusTokenAbi: readonly JsonFragment[] = nexusTokenArtifact.abi;
/** Creation bytecode, 0x-prefixed; constructor arguments are appended to it. */
export const nexusTokenBytecode: string = nexusTokenArtifact.bytecode;
/** Encodes calls and decodes results, events and custom errors (`EnforcedPause`, …). */
export const nexusTokenInterface: Interface = new Interface(nexusTokenAbi);
