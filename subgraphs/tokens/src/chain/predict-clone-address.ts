import { AbiCoder, concat, getAddress, getCreate2Address, keccak256, zeroPadValue } from 'ethers';

/**
 * Where NexusTokenFactory puts a token, computed off-chain: the address is known (to
 * record, to show, to watch) before the transaction that creates it is even signed, and
 * without a call to the node.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `tokenId` (bytes32) that `createToken` and `predictTokenAddress` take for a token's
 * id, a UUID: its 16 bytes, left-padded with zeros. Chosen over a keccak of the id's text
 * because it can be read back: a `TokenCreated` event names the token row it is for
 * without a lookup table, and the id's spelling (upper or lower case) does not matter.
 * Throws on anything but a UUID, so a wrong value never makes it into a salt.
 */
export function tokenSalt(tokenId: string): string {
  if (!uuidPattern.test(tokenId)) throw new TypeError(`tokenSalt: ${JSON.stringify(tokenId)} is not a UUID`);
  return zeroPadValue(`0x${tokenId.replaceAll('-', '').toLowerCase()}`, 32);
}

/**
 * EIP-1167's minimal proxy creation code around the implementation's address, byte for byte
 * what OpenZeppelin 5.7's `Clones.cloneDeterministic` hands to CREATE2 (55 bytes): 10 bytes
 * that return the runtime code, then the runtime code, which DELEGATECALLs the address.
 */
const cloneCodePrefix = '0x3d602d80600a3d3981f3363d3d373d3d3d363d73';
const cloneCodeSuffix = '0x5af43d82803e903d91602b57fd5bf3';

export interface CloneAddressQuery {
  /** The NexusTokenFactory that creates the clone (CREATE2's deployer). */
  factory: string;
  /** The factory's `implementation()`. */
  implementation: string;
  /** The account that sends `createToken`: its `msg.sender`. */
  creator: string;
  /** The token's id, a UUID (see `tokenSalt`). */
  tokenId: string;
}

/**
 * What the factory's `predictTokenAddress(creator, tokenSalt(tokenId))` returns, and so
 * where `createToken` from `creator` puts the token: CREATE2 from the factory, with the
 * factory's salt `keccak256(abi.encode(creator, tokenId))` and the clone's creation code.
 * Checksummed.
 */
export function predictCloneAddress({ factory, implementation, creator, tokenId }: CloneAddressQuery): string {
  const salt = keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'bytes32'], [creator, tokenSalt(tokenId)]));
  const initCode = concat([cloneCodePrefix, getAddress(implementation), cloneCodeSuffix]);
  return getCreate2Address(getAddress(factory), salt, keccak256(initCode));
}
