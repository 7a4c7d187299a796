import { nexusTokenBytecode, nexusTokenInterface } from '@token-nexus/tokens/chain';
import {
  JsonRpcProvider,
  Wallet,
  concat,
  getAddress,
  parseEther,
  parseUnits,
  toQuantity,
  type BaseWallet,
  type TransactionRequest,
} from 'ethers';

/** One Transfer event as the chain has it (a mint comes from, a burn goes to, the zero address). */
export interface ChainTransfer {
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
  from: string;
  to: string;
  value: bigint;
}

/** What `trade` sends: each operation a Transfer event, in a block of its own. */
export interface TradeOptions {
  /** Empty blocks mined after each operation (default none). */
  emptyBlocks?: (random: () => number) => number;
  /** Whether the owner mints and holders burn now and then, besides transfers (default true). */
  mintsAndBurns?: boolean;
}

/**
 * A NexusToken deployed straight on a local chain by keys the caller holds, not by the
 * platform: the kind of token `importToken` follows. Its owner (the deployer, who holds
 * the initial supply and mints) and its holders send signed transactions of their own.
 */
export interface HandMadeToken {
  /** Checksummed. */
  address: string;
  /** The block the deployment was mined in. */
  deployBlock: number;
  /** The owner first, then the holders; checksummed. */
  wallets: string[];
  /**
   * Sends `count` random operations one after the other, each mined into its own block
   * and checked to succeed: transfers between the wallets and, unless told otherwise,
   * mints by the owner and burns by holders. The same `seed` gives the same history.
   */
  trade(count: number, options?: TradeOptions): Promise<void>;
  /**
   * Sends `count` transfers among the wallets at once and mines them into as few blocks as
   * hold them (a block packs transactions up to its gas limit, some 375 of these): a
   * stretch of blocks dense with events, as a popular token's are.
   */
  burst(count: number): Promise<void>;
  /** Mines `blocks` empty blocks at once. */
  mine(blocks: number): Promise<void>;
  head(): Promise<number>;
  balanceOf(holder: string): Promise<bigint>;
  totalSupply(): Promise<bigint>;
  /** Every Transfer event from the deployment to `toBlock` (default the head), in chain order. */
  transfers(toBlock?: number): Promise<ChainTransfer[]>;
  close(): void;
}

export interface HandMadeTokenOptions {
  /** A key holding ether on the chain (anvil's funded account): deploys, owns, funds the holders. */
  deployerKey: string;
  name: string;
  symbol: string;
  decimals: number;
  /** In whole tokens; minted to the owner, a share sent to each holder at once. */
  initialTokens: number;
  /** Holders besides the owner, each funded with ether for gas (default 5). */
  holders?: number;
  /** Of the pseudo-random history (default 1). */
  seed?: number;
}

/** Fees far above a local chain's (its base fee starts at 1 gwei and falls on empty blocks). */
const fees = { type: 2, maxFeePerGas: parseUnits('50', 'gwei'), maxPriorityFeePerGas: parseUnits('1', 'gwei') } as const;

/**
 * Deploys the token from `deployerKey`, funds the holders and sends each a share of the
 * supply. Transactions are signed here with fixed gas and fees (no estimate or fee
 * lookup per transaction), so thousands take seconds, not minutes.
 */
export async function deployHandMadeToken(rpcUrl: string, options: HandMadeTokenOptions): Promise<HandMadeToken> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  const chainId = Number(await provider.send('eth_chainId', []));
  const random = seededRandom(options.seed ?? 1);
  const owner = new Wallet(options.deployerKey);
  const holders: BaseWallet[] = Array.from({ length: options.holders ?? 5 }, () => Wallet.createRandom());
  const wallets = [owner, ...holders];

  /** Signs `request` from `wallet` at `nonce` and hands it to the node; its hash. */
  const submit = async (wallet: BaseWallet, request: TransactionRequest & { gasLimit: bigint }, nonce: number) => {
    const raw = await wallet.signTransaction({ ...fees, chainId, nonce, ...request });
    return (await provider.send('eth_sendRawTransaction', [raw])) as string;
  };
  /** The receipt of `hash` once mined, null before; throws when the transaction reverted. */
  const receiptOf = async (hash: string) => {
    const receipt = (await provider.send('eth_getTransactionReceipt', [hash])) as {
      status: string;
      blockNumber: string;
      contractAddress: string | null;
    } | null;
    if (receipt && receipt.status !== '0x1') throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
  /** Signs and sends `request` from `wallet`, and returns its receipt once mined (at once: anvil automines). */
  const send = async (wallet: BaseWallet, request: TransactionRequest & { gasLimit: bigint }) => {
    // Asked each time rather than counted here: the caller may send from the owner's key too.
    const hash = await submit(wallet, request, await provider.getTransactionCount(wallet.address, 'pending'));
    for (;;) {
      const receipt = await receiptOf(hash);
      if (receipt) return receipt;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  const decimalsFactor = 10n ** BigInt(options.decimals);
  const initialSupply = BigInt(options.initialTokens) * decimalsFactor;
  const creation = concat([
    nexusTokenBytecode,
    nexusTokenInterface.encodeDeploy([options.name, options.symbol, options.decimals, initialSupply, owner.address]),
  ]);
  const deployment = await send(owner, { data: creation, gasLimit: 5_000_000n });
  const address = getAddress(deployment.contractAddress!);
  const deployBlock = Number(deployment.blockNumber);
  const call = (wallet: BaseWallet, method: string, args: unknown[]) =>
    send(wallet, { to: address, data: nexusTokenInterface.encodeFunctionData(method, args), gasLimit: 200_000n });

  // What the chain holds, kept here too: senders are picked among wallets with something to send.
  const balances = new Map<string, bigint>(wallets.map((wallet) => [wallet.address, 0n]));
  balances.set(owner.address, initialSupply);
  const move = (from: string | null, to: string | null, value: bigint) => {
    if (from) balances.set(from, balances.get(from)! - value);
    if (to) balances.set(to, balances.get(to)! + value);
  };
  const share = initialSupply / BigInt(wallets.length);
  for (const holder of holders) {
    await send(owner, { to: holder.address, value: parseEther('1'), gasLimit: 21_000n });
    await call(owner, 'transfer', [holder.address, share]);
    move(owner.address, holder.address, share);
  }

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  /** Up to `fraction` of `balance`, at least 1 (of a positive balance). */
  const part = (balance: bigint, fraction: number) => (balance * BigInt(Math.floor(random() * fraction * 1_000_000))) / 1_000_000n + 1n;
  const mine = async (blocks: number) => {
    if (blocks > 0) await provider.send('anvil_mine', [toQuantity(blocks)]);
  };

  return {
    address,
    deployBlock,
    wallets: wallets.map((wallet) => wallet.address),
    async trade(count, tradeOptions = {}) {
      const mintsAndBurns = tradeOptions.mintsAndBurns ?? true;
      for (let index = 0; index < count; index++) {
        const roll = random();
        const funded = wallets.filter((wallet) => balances.get(wallet.address)! > 1n);
        if (mintsAndBurns && roll < 0.1) {
          const to = pick(wallets).address;
          const value = part(share, 0.2);
          await call(owner, 'mint', [to, value]);
          move(null, to, value);
        } else if (mintsAndBurns && roll < 0.2) {
          const holder = pick(funded);
          const value = part(balances.get(holder.address)!, 0.3);
          await call(holder, 'burn', [value]);
          move(holder.address, null, value);
        } else {
          const sender = pick(funded);
          const to = pick(wallets.filter((wallet) => wallet !== sender)).address;
          const value = part(balances.get(sender.address)!, 0.5);
          await call(sender, 'transfer', [to, value]);
          move(sender.address, to, value);
        }
        await mine(tradeOptions.emptyBlocks?.(random) ?? 0);
      }
    },
    async burst(count) {
      // Each sender spends at most half of what it held before the burst, whatever order
      // the blocks run the transfers in: none can fail for want of tokens still on the way.
      const before = new Map(balances);
      const senders = wallets.filter((wallet) => before.get(wallet.address)! >= BigInt(2 * count));
      const nonces = new Map<string, number>();
      for (const wallet of senders) nonces.set(wallet.address, await provider.getTransactionCount(wallet.address, 'pending'));
      await provider.send('evm_setAutomine', [false]);
      try {
        let pending: string[] = [];
        for (let index = 0; index < count; index++) {
          const sender = pick(senders);
          const to = pick(wallets.filter((wallet) => wallet !== sender)).address;
          const value = before.get(sender.address)! / BigInt(2 * count);
          const nonce = nonces.get(sender.address)!;
          nonces.set(sender.address, nonce + 1);
          // 80 000 gas, a transfer's with room: blocks pack by the gas a transaction may use.
          const data = nexusTokenInterface.encodeFunctionData('transfer', [to, value]);
          pending.push(await submit(sender, { to: address, data, gasLimit: 80_000n }, nonce));
          move(sender.address, to, value);
        }
        while (pending.length > 0) {
          await mine(1);
          const mined = await Promise.all(pending.map(receiptOf));
          pending = pending.filter((_, index) => !mined[index]);
        }
      } finally {
        await provider.send('evm_setAutomine', [true]);
      }
    },
    mine,
    head: () => provider.getBlockNumber(),
    balanceOf: async (holder) =>
      BigInt(await provider.call({ to: address, data: nexusTokenInterface.encodeFunctionData('balanceOf', [getAddress(holder)]) })),
    totalSupply: async () => BigInt(await provider.call({ to: address, data: nexusTokenInterface.encodeFunctionData('totalSupply', []) })),
    async transfers(toBlock) {
      const transfer = nexusTokenInterface.getEvent('Transfer')!;
      const logs = await provider.getLogs({ address, topics: [transfer.topicHash], fromBlock: deployBlock, toBlock: toBlock ?? 'latest' });
      return logs.map((log) => {
        const [from, to, value] = nexusTokenInterface.decodeEventLog(transfer, log.data, log.topics);
        return {
          blockNumber: log.blockNumber,
          transactionHash: log.transactionHash,
          logIndex: log.index,
          from: getAddress(from as string),
          to: getAddress(to as string),
          value: value as bigint,
        };
      });
    },
    close: () => provider.destroy(),
  };
}

/** mulberry32: a small pseudo-random generator whose sequence a seed fixes (Math.random has no seed). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
