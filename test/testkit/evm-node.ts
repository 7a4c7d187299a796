import type { AddressInfo } from 'node:net';
import { parseEther, toQuantity } from 'ethers';
import ganache from 'ganache';

/** An account whose key the test holds. */
export interface EvmAccount {
  /** Lower-case, as ganache reports it. */
  address: string;
  privateKey: string;
}

export interface EvmNode {
  rpcUrl: string;
  /** 1337 unless asked otherwise. */
  chainId: number;
  /** The same on every start (ganache's deterministic wallet), holding 1000 ether. */
  funder: EvmAccount;
  /**
   * Sends `ether` (a decimal string, e.g. `'1.5'`) from the funder to `address` and
   * returns once it is mined: at once when automining, at the next block with an interval,
   * and by mining a block itself while mining is stopped.
   */
  fund(address: string, ether: string): Promise<void>;
  /** Mines `blocks` (default 1) empty blocks at once, whatever the mining mode. */
  mine(blocks?: number): Promise<void>;
  /** The chain's state now; `revert(id)` returns to it, dropping every block since (a reorg). */
  snapshot(): Promise<string>;
  /** Ids are single-use: reverting consumes the snapshot and every later one. */
  revert(id: string): Promise<void>;
  /** Transactions stay pending until `mine()` or `startMining()`. */
  stopMining(): Promise<void>;
  startMining(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local EVM chain of the test's own (ganache, in this process), on 127.0.0.1 and a free
 * port. Each transaction is mined into its own block as it arrives, unless
 * `blockTimeSeconds` asks for a block every so often instead (to test waiting for
 * confirmations against a clock). `chainId` lets test files that share a database (where
 * chains are keyed by id) each have a chain of their own.
 *
 * Where ganache 7.9.2 differs from a real node (found the hard way, worth knowing when a
 * test surprises you):
 * - It does not check nonce 0 of a raw transaction: a second transaction at nonce 0, or
 *   the same one sent again after it was mined, runs again. Test nonce reuse at nonce 1+.
 * - `eth_getTransactionCount(…, 'pending')` ignores its pool: while mining is stopped, it
 *   does not count the transactions waiting there.
 * - It has no cancun opcodes: contracts are compiled for shanghai.
 */
export async function startEvmNode(options: { blockTimeSeconds?: number; chainId?: number } = {}): Promise<EvmNode> {
  const chainId = options.chainId ?? 1337;
  const server = ganache.server({
    logging: { quiet: true },
    wallet: { deterministic: true },
    chain: { chainId },
    miner: { blockTime: options.blockTimeSeconds ?? 0 },
  });
  await server.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  const provider = server.provider;
  const [funderAddress, funderAccount] = Object.entries(provider.getInitialAccounts())[0]!;
  const funder = { address: funderAddress, privateKey: funderAccount.secretKey };
  let miningStopped = false;

  const mine = async (blocks = 1) => {
    await provider.request({ method: 'evm_mine', params: [{ blocks }] });
  };

  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    chainId,
    funder,
    async fund(address, ether) {
      const hash = await provider.request({
        method: 'eth_sendTransaction',
        params: [{ from: funder.address, to: address, value: toQuantity(parseEther(ether)) }],
      });
      if (miningStopped) await mine();
      while (!(await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] }))) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    mine,
    snapshot: () => provider.request({ method: 'evm_snapshot', params: [] }),
    async revert(id) {
      if (!(await provider.request({ method: 'evm_revert', params: [id] }))) {
        throw new Error(`no snapshot ${id} to revert to (each id can be reverted to once)`);
      }
    },
    async stopMining() {
      await provider.request({ method: 'miner_stop', params: [] });
      miningStopped = true;
    },
    async startMining() {
      await provider.request({ method: 'miner_start', params: [] });
      miningStopped = false;
    },
    close: () => server.close(),
  };
}
