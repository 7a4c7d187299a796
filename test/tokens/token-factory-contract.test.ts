import { randomUUID } from 'node:crypto';
import {
  nexusTokenFactoryAbi,
  nexusTokenFactoryBytecode,
  nexusTokenFactoryInterface,
  nexusTokenImplementationAbi,
  nexusTokenImplementationBytecode,
  nexusTokenImplementationInterface,
  predictCloneAddress,
  tokenSalt,
} from '@token-nexus/tokens/chain';
import {
  AbiCoder,
  Contract,
  ContractFactory,
  JsonRpcProvider,
  Wallet,
  isError,
  type Interface,
  keccak256,
  toBeHex,
  toUtf8Bytes,
  type ContractTransactionReceipt,
} from 'ethers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEvmNode, type EvmNode } from '../testkit/evm-node.ts';

let node: EvmNode;
let provider: JsonRpcProvider;
/** Deploys the contracts, creates tokens. */
let creator: Wallet;
/** Another account: a second creator, a token holder, an owner that is not the creator. */
let other: Wallet;
let implementation: Contract;
let factory: Contract;

beforeAll(async () => {
  // Shanghai, as compiled for: an opcode of a later fork in the bytecode fails these tests.
  node = await startEvmNode({ hardfork: 'shanghai', accounts: 2 });
  provider = new JsonRpcProvider(node.rpcUrl, node.chainId, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
  creator = new Wallet(node.accounts[0]!.privateKey, provider);
  other = new Wallet(node.accounts[1]!.privateKey, provider);
  const implementationFactory = new ContractFactory(nexusTokenImplementationAbi, nexusTokenImplementationBytecode, creator);
  implementation = (await (await implementationFactory.deploy()).waitForDeployment()) as Contract;
  const deployedFactory = await new ContractFactory(nexusTokenFactoryAbi, nexusTokenFactoryBytecode, creator).deploy(
    await implementation.getAddress(),
  );
  factory = (await deployedFactory.waitForDeployment()) as Contract;
});

afterAll(async () => {
  provider?.destroy();
  await node?.close();
});

interface TokenSpec {
  tokenId: string;
  name: string;
  symbol: string;
  decimals: number;
  initialSupply: bigint;
  owner: string;
}

function spec(overrides: Partial<TokenSpec> = {}): TokenSpec {
  const defaults = { name: 'Nexus Clone', symbol: 'NXC', decimals: 6, initialSupply: 1_000n, owner: creator.address };
  return { tokenId: randomUUID(), ...defaults, ...overrides };
}

function createTokenArgs(token: TokenSpec) {
  return [tokenSalt(token.tokenId), token.name, token.symbol, token.decimals, token.initialSupply, token.owner] as const;
}

/** Creates the token from `sender`; returns the receipt and the clone, connected to `sender`. */
async function createToken(token: TokenSpec, sender: Wallet = creator) {
  const receipt = await send(factory.connect(sender) as Contract, 'createToken', ...createTokenArgs(token));
  const created = receipt.logs
    .map((log) => nexusTokenFactoryInterface.parseLog(log))
    .find((event) => event?.name === 'TokenCreated');
  if (!created) throw new Error('createToken emitted no TokenCreated');
  const address = created.args.getValue('token') as string;
  return { receipt, created, clone: new Contract(address, nexusTokenImplementationAbi, sender) };
}

/** Sends `contract.method(...args)` and waits for it to be mined. */
async function send(contract: Contract, method: string, ...args: unknown[]): Promise<ContractTransactionReceipt> {
  const response = await contract.getFunction(method)(...args);
  const receipt = (await response.wait()) as ContractTransactionReceipt | null;
  if (!receipt) throw new Error(`${method} was not mined`);
  return receipt;
}

/**
 * The custom error `promise` reverts with, by name, decoded with the interface of the
 * contract called (failing the test when it does not revert). Decoded here: ethers leaves a
 * transaction's revert (caught when estimating its gas) undecoded.
 */
async function revertName(
  promise: Promise<unknown>,
  contractInterface: Interface = nexusTokenImplementationInterface,
): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isError(error, 'CALL_EXCEPTION') && error.data) return contractInterface.parseError(error.data)?.name;
    throw error;
  }
  throw new Error('expected a revert, got a result');
}

describe('predicting a token address', () => {
  test('predictCloneAddress computes off-chain the address predictTokenAddress names and createToken creates', async () => {
    const token = spec();
    const predicted = predictCloneAddress({
      factory: await factory.getAddress(),
      implementation: await implementation.getAddress(),
      creator: creator.address,
      tokenId: token.tokenId,
    });

    expect(await factory.getFunction('predictTokenAddress')(creator.address, tokenSalt(token.tokenId))).toBe(predicted);
    expect(await factory.getFunction('createToken').staticCall(...createTokenArgs(token))).toBe(predicted);
    expect(await provider.getCode(predicted)).toBe('0x');
    const { clone } = await createToken(token);
    expect(await clone.getAddress()).toBe(predicted);
    expect(await provider.getCode(predicted)).not.toBe('0x');
  });

  test('the same tokenId from another sender creates a token at another address', async () => {
    const token = spec();
    const { clone: mine } = await createToken(token, creator);
    const { clone: theirs } = await createToken(token, other);

    expect(await theirs.getAddress()).not.toBe(await mine.getAddress());
    expect(await theirs.getAddress()).toBe(
      await factory.getFunction('predictTokenAddress')(other.address, tokenSalt(token.tokenId)),
    );
  });

  test('tokenSalt is the UUID’s 16 bytes left-padded to 32, whatever its case', () => {
    const id = '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
    expect(tokenSalt(id)).toBe('0x000000000000000000000000000000000193a5b27c4d7e8f9a0b1c2d3e4f5a6b');
    expect(tokenSalt(id.toUpperCase())).toBe(tokenSalt(id));
  });

  test('tokenSalt refuses an id that is not a UUID', () => {
    expect(() => tokenSalt('token-1')).toThrow(/not a UUID/);
    expect(() => tokenSalt('0193a5b27c4d7e8f9a0b1c2d3e4f5a6b')).toThrow(/not a UUID/);
  });
});

describe('creating a token', () => {
  test('TokenCreated names the token, its creator, the tokenId and the owner', async () => {
    const token = spec({ owner: other.address });
    const { created, clone } = await createToken(token);

    expect(created.args.getValue('token')).toBe(await clone.getAddress());
    expect(created.args.getValue('creator')).toBe(creator.address);
    expect(created.args.getValue('tokenId')).toBe(tokenSalt(token.tokenId));
    expect(created.args.getValue('owner')).toBe(other.address);
  });

  test('a clone is the token it was created as: name, symbol, decimals, supply and owner', async () => {
    const token = spec({ name: 'Nexus Six', symbol: 'NX6', decimals: 6, initialSupply: 5_000_000n, owner: other.address });
    const { clone } = await createToken(token);

    expect(await clone.getFunction('name')()).toBe('Nexus Six');
    expect(await clone.getFunction('symbol')()).toBe('NX6');
    expect(await clone.getFunction('decimals')()).toBe(6n);
    expect(await clone.getFunction('totalSupply')()).toBe(5_000_000n);
    expect(await clone.getFunction('balanceOf')(other.address)).toBe(5_000_000n);
    expect(await clone.getFunction('owner')()).toBe(other.address);
    expect(await clone.getFunction('paused')()).toBe(false);
  });

  test('a clone keeps its decimals in the ERC-7201 slot its contract declares', async () => {
    const { clone } = await createToken(spec({ decimals: 9 }));
    const namespace = BigInt(keccak256(toUtf8Bytes('token-nexus.storage.NexusToken'))) - 1n;
    const slot = BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(['uint256'], [namespace]))) & ~0xffn;

    expect(BigInt(await provider.getStorage(await clone.getAddress(), toBeHex(slot, 32)))).toBe(9n);
  });

  test('creating a token again with the same sender and tokenId reverts with Clones’ FailedDeployment', async () => {
    const token = spec();
    await createToken(token);

    expect(
      await revertName(
        factory.getFunction('createToken')(...createTokenArgs({ ...token, name: 'Squatter' })),
        nexusTokenFactoryInterface,
      ),
    ).toBe('FailedDeployment');
  });
});

describe('initialization', () => {
  test('the implementation itself cannot be initialized', async () => {
    expect(
      await revertName(implementation.getFunction('initialize')('Hijack', 'HJK', 18, 1n, creator.address)),
    ).toBe('InvalidInitialization');
  });

  test('a clone cannot be initialized a second time, even by its owner', async () => {
    const { clone } = await createToken(spec());

    expect(await revertName(clone.getFunction('initialize')('Again', 'AGN', 18, 1_000_000n, other.address))).toBe(
      'InvalidInitialization',
    );
    expect(await clone.getFunction('owner')()).toBe(creator.address);
  });
});

describe('a clone behaves as NexusToken', () => {
  test('the owner mints; anyone else may not', async () => {
    const { clone } = await createToken(spec({ initialSupply: 0n }));
    await send(clone, 'mint', other.address, 250n);

    expect(await clone.getFunction('balanceOf')(other.address)).toBe(250n);
    expect(await clone.getFunction('totalSupply')()).toBe(250n);
    expect(await revertName((clone.connect(other) as Contract).getFunction('mint')(other.address, 1n))).toBe(
      'OwnableUnauthorizedAccount',
    );
  });

  test('holders transfer, burn their own tokens and, with an allowance, burn someone else’s', async () => {
    const { clone } = await createToken(spec({ initialSupply: 1_000n }));
    await send(clone, 'transfer', other.address, 400n);
    await send(clone, 'burn', 100n);
    await send(clone.connect(other) as Contract, 'approve', creator.address, 50n);
    await send(clone, 'burnFrom', other.address, 50n);

    expect(await clone.getFunction('balanceOf')(creator.address)).toBe(500n);
    expect(await clone.getFunction('balanceOf')(other.address)).toBe(350n);
    expect(await clone.getFunction('totalSupply')()).toBe(850n);
    expect(await revertName(clone.getFunction('burnFrom')(other.address, 1n))).toBe('ERC20InsufficientAllowance');
  });

  test('while paused, transfers, mints and burns revert, until the owner unpauses', async () => {
    const { clone } = await createToken(spec({ initialSupply: 1_000n }));
    expect(await revertName((clone.connect(other) as Contract).getFunction('pause')())).toBe('OwnableUnauthorizedAccount');
    await send(clone, 'pause');

    expect(await clone.getFunction('paused')()).toBe(true);
    expect(await revertName(clone.getFunction('transfer')(other.address, 1n))).toBe('EnforcedPause');
    expect(await revertName(clone.getFunction('mint')(other.address, 1n))).toBe('EnforcedPause');
    expect(await revertName(clone.getFunction('burn')(1n))).toBe('EnforcedPause');

    await send(clone, 'unpause');
    await send(clone, 'transfer', other.address, 1n);
    expect(await clone.getFunction('balanceOf')(other.address)).toBe(1n);
  });
});
