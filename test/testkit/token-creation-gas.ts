import { randomUUID } from 'node:crypto';
import {
  nexusTokenAbi,
  nexusTokenBytecode,
  nexusTokenFactoryAbi,
  nexusTokenFactoryBytecode,
  nexusTokenImplementationAbi,
  nexusTokenImplementationBytecode,
  tokenSalt,
} from '@token-nexus/tokens/chain';
import { Contract, ContractFactory, JsonRpcProvider, Wallet, parseUnits, type TransactionReceipt } from 'ethers';

/** Gas used, as the receipts report it (what the sender pays for, intrinsic 21 000 included). */
export interface TokenCreationGas {
  /** One NexusToken deployed in full, per token. */
  fullDeployments: bigint[];
  /** One `createToken` through the factory, per token. */
  clones: bigint[];
  /** Deploying NexusTokenImplementation, once per chain. */
  implementation: bigint;
  /** Deploying NexusTokenFactory, once per chain. */
  factory: bigint;
  /**
   * One transfer to a new holder, on a token of each way: a clone's calls go through a
   * DELEGATECALL to the implementation, which every call pays for again.
   */
  transfer: { full: bigint; clone: bigint };
}

/**
 * Creates `count` tokens each way on the chain at `rpcUrl` (a fresh local one), sent and
 * paid for by `senderKey`, and collects what each transaction cost. Both ways
 * create the same token: same name length, symbol, decimals and an initial supply minted to
 * the owner, so that the difference is the deployment method alone. Lives in the testkit
 * rather than in bench/ because the bench package has no ethers of its own.
 */
export async function measureTokenCreationGas(rpcUrl: string, count: number, senderKey: string): Promise<TokenCreationGas> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 20, cacheTimeout: -1 });
  try {
    const sender = new Wallet(senderKey, provider);
    const token = (index: number) =>
      [`Bench Token ${String(index).padStart(3, '0')}`, 'BNCH', 18, parseUnits('1000000', 18), sender.address] as const;

    const fullDeployments: bigint[] = [];
    let fullToken: Contract | undefined;
    for (let index = 0; index < count; index++) {
      fullToken = (await new ContractFactory(nexusTokenAbi, nexusTokenBytecode, sender).deploy(...token(index))) as Contract;
      fullDeployments.push(gasUsed(await fullToken.deploymentTransaction()!.wait()));
    }

    const implementationFactory = new ContractFactory(nexusTokenImplementationAbi, nexusTokenImplementationBytecode, sender);
    const implementationContract = await implementationFactory.deploy();
    const implementation = gasUsed(await implementationContract.deploymentTransaction()!.wait());
    const factoryContract = (await new ContractFactory(nexusTokenFactoryAbi, nexusTokenFactoryBytecode, sender).deploy(
      await implementationContract.getAddress(),
    )) as Contract;
    const factory = gasUsed(await factoryContract.deploymentTransaction()!.wait());

    const clones: bigint[] = [];
    let cloneToken: Contract | undefined;
    for (let index = 0; index < count; index++) {
      const tokenId = tokenSalt(randomUUID());
      const response = await factoryContract.getFunction('createToken')(tokenId, ...token(index));
      clones.push(gasUsed((await response.wait()) as TransactionReceipt | null));
      const address = (await factoryContract.getFunction('predictTokenAddress')(sender.address, tokenId)) as string;
      cloneToken = new Contract(address, nexusTokenImplementationAbi, sender);
    }

    const transferGas = async (contract: Contract) => {
      const response = await contract.getFunction('transfer')(Wallet.createRandom().address, 1n);
      return gasUsed((await response.wait()) as TransactionReceipt | null);
    };
    const transfer = { full: await transferGas(fullToken!), clone: await transferGas(cloneToken!) };
    return { fullDeployments, clones, implementation, factory, transfer };
  } finally {
    provider.destroy();
  }
}

function gasUsed(receipt: TransactionReceipt | null): bigint {
  // wait() throws on a revert; a missing receipt would be a node that dropped the transaction.
  if (!receipt) throw new Error('a transaction was not mined');
  return receipt.gasUsed;
}
