import { Interface, type JsonFragment } from 'ethers';
import { loadArtifact, type ContractArtifact } from './load-artifact.ts';

/**
 * NexusTokens as EIP-1167 clones: the implementation they all delegate to and the factory
 * that creates them, from their committed artifacts (see `load-artifact.ts`). Deployed once
 * per chain, implementation first (the factory's constructor takes its address).
 */

export const nexusTokenImplementationArtifact: ContractArtifact = loadArtifact('NexusTokenImplementation');
/**
 * Also the ABI of every clone: a clone answers to the implementation's functions. It is
 * NexusToken's plus `initialize` and its errors (`InvalidInitialization`, …).
 */
export const nexusTokenImplementationAbi: readonly JsonFragment[] = nexusTokenImplementationArtifact.abi;
/** Creation bytecode, 0x-prefixed; the constructor takes no arguments. */
export const nexusTokenImplementationBytecode: string = nexusTokenImplementationArtifact.bytecode;
export const nexusTokenImplementationInterface: Interface = new Interface(nexusTokenImplementationAbi);

export const nexusTokenFactoryArtifact: ContractArtifact = loadArtifact('NexusTokenFactory');
export const nexusTokenFactoryAbi: readonly JsonFragment[] = nexusTokenFactoryArtifact.abi;
/** Creation bytecode, 0x-prefixed; the implementation's address is appended to it. */
export const nexusTokenFactoryBytecode: string = nexusTokenFactoryArtifact.bytecode;
/**
 * Encodes `createToken` and `predictTokenAddress`, decodes `TokenCreated` and the factory's
 * errors (`FailedDeployment`: that sender already used that tokenId). A revert inside the
 * new clone's `initialize` (`OwnableInvalidOwner` for a zero owner) needs the
 * implementation's interface to decode.
 */
export const nexusTokenFactoryInterface: Interface = new Interface(nexusTokenFactoryAbi);
