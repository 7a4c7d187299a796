import { Transaction, Wallet, concat, getAddress, getCreateAddress, type TransactionRequest } from 'ethers';
import { revertRefusal, broadcastRefusal } from './call-refusal.ts';
import { ChainCallRefusedError, ChainUnavailableError, LogRangeTooLargeError } from './chain-errors.ts';
import { logRangeRefusal } from './log-range-refusal.ts';
import { nexusTokenBytecode, nexusTokenInterface } from './nexus-token.ts';
import { openRpcConnection } from './rpc-connection.ts';
import { tokenCallData } from './token-call-data.ts';

export { ChainCallRefusedError, ChainUnavailableError, LogRangeTooLargeError };

/** The EVM node to talk to, and the chain it must be serving. */
export interface ChainTarget {
  rpcUrl: string;
  chainId: number;
}

/** A transaction signed and not necessarily sent: keep `rawTransaction` to send it again. */
export interface SignedTransaction {
  rawTransaction: string;
  hash: string;
  nonce: number;
  /** The signer, checksummed. */
  from: string;
}

export interface DeploymentTransaction extends SignedTransaction {
  /** Where the token will be once mined: fixed by the sender and nonce, known before sending. */
  contractAddress: string;
}

/** A NexusToken call, signed by its owner (mint, pause, unpause) or by a holder (transfer, burn). */
export type TokenCall =
  | { method: 'mint'; to: string; amount: bigint }
  | { method: 'transfer'; to: string; amount: bigint }
  | { method: 'burn'; amount: bigint }
  | { method: 'pause' }
  | { method: 'unpause' };

export interface ReceiptStatus {
  status: 'success' | 'reverted';
  blockNumber: number;
  blockHash: string;
  /** 1 in the block that mined it, plus one per block since. */
  confirmations: number;
  /** Of a deployment; checksummed. */
  contractAddress: string | null;
  gasUsed: bigint;
}

/** One ERC-20 Transfer event: a mint comes from, a burn goes to, the zero address. */
export interface TransferLog {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  from: string;
  to: string;
  value: bigint;
}

/** A block's number, hash and time (seconds since the epoch). */
export interface BlockHeader {
  number: number;
  hash: string;
  timestamp: number;
}

/** One event log, undecoded. */
export interface RawLog {
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  topics: readonly string[];
  data: string;
}

/**
 * What the tokens subgraph needs from an EVM chain. Signing and sending are separate so
 * that a caller can store a signed transaction (and its hash) before sending it, and send
 * it again after a crash without ever creating a second one.
 *
 * Every method may throw `ChainUnavailableError` (retry later); `signDeployment`,
 * `signCall` and `broadcast` may also throw `ChainCallRefusedError` (do not retry).
 */
export interface ChainClient {
  chainId: number;
  headNumber(): Promise<number>;
  /** The hash of the canonical block at `blockNumber`; null above the head. */
  blockHash(blockNumber: number): Promise<string | null>;
  /** Next nonce of `address` counting pending transactions. */
  nonceOf(address: string): Promise<number>;
  balanceOfEth(address: string): Promise<bigint>;
  /**
   * Signs, without sending, a NexusToken deployment from `privateKey` at `nonce` (gas
   * estimated, EIP-1559 or legacy fees from the node). A constructor that would revert
   * (an invalid owner) throws a `ChainCallRefusedError`.
   */
  signDeployment(
    privateKey: string,
    params: { name: string; symbol: string; decimals: number; initialSupply: bigint; owner: string },
    nonce: number,
  ): Promise<DeploymentTransaction>;
  /**
   * Signs, without sending, a call on a deployed NexusToken. A call that would revert
   * (paused, insufficient balance, not owner) throws a `ChainCallRefusedError` with the
   * decoded custom error name. The check runs against the latest block: a call signed
   * behind transactions still pending is judged without them.
   */
  signCall(privateKey: string, contractAddress: string, call: TokenCall, nonce: number): Promise<SignedTransaction>;
  /**
   * Signs, without sending, the deployment of `creationCode` (bytecode with its constructor
   * arguments appended), checked like `signDeployment`; `action` names it in refusals.
   */
  signContractDeployment(privateKey: string, creationCode: string, nonce: number, action: string): Promise<DeploymentTransaction>;
  /** Signs, without sending, a call of `data` on `to`, checked like `signCall`. */
  signContractCall(privateKey: string, to: string, data: string, nonce: number, action: string): Promise<SignedTransaction>;
  /** eth_call at the latest block: the raw result (`0x` from an address without code). */
  call(to: string, data: string): Promise<string>;
  /** The runtime code at `address` (`0x` when none). */
  codeAt(address: string): Promise<string>;
  /** A block by number or tag; null when the node has no such block (or no `finalized` one). */
  blockHeader(block: number | 'latest' | 'finalized'): Promise<BlockHeader | null>;
  /**
   * Logs of `address` with `topic0` in `fromBlock..toBlock`, in chain order. A node that
   * serves fewer blocks or results per request throws `LogRangeTooLargeError`.
   */
  logs(address: string, topic0: string, fromBlock: number, toBlock: number): Promise<RawLog[]>;
  /**
   * Sends a signed transaction; sending the same one again is not an error (already known
   * / nonce already used by this very hash). A node that rejects it (nonce used by another
   * transaction, not enough ether for gas) throws a `ChainCallRefusedError`.
   */
  broadcast(rawTransaction: string): Promise<void>;
  /** null while not mined (or dropped). */
  receipt(hash: string): Promise<ReceiptStatus | null>;
  balanceOf(contractAddress: string, holder: string): Promise<bigint>;
  paused(contractAddress: string): Promise<boolean>;
  /**
   * The token's Transfer events in `fromBlock..toBlock` (inclusive), in chain order. Nodes
   * limit the range one request may cover (often to a few thousand blocks): page through;
   * a range the node refuses throws `LogRangeTooLargeError`.
   */
  transferLogs(contractAddress: string, fromBlock: number, toBlock: number): Promise<TransferLog[]>;
  /**
   * Ends requests in flight and refuses later ones (both with `ChainUnavailableError`);
   * leaves no timer or socket that would keep the process up.
   */
  close(): Promise<void>;
}

/**
 * Gas limit headroom over the node's estimate. A signed transaction may be sent (again)
 * later, when the state it runs against differs a little (a recipient's first tokens cost
 * more storage than later ones); unused gas is refunded, so headroom only costs a slightly
 * higher balance requirement.
 */
const gasHeadroomPercent = 120n;

/**
 * A client of one node over JSON-RPC (HTTP). Every request is bounded by `timeoutMs`
 * (default 10 s); the node's chain id is checked against `target.chainId` before the
 * first request of the client is answered, and again after a failed check.
 */
export function createChainClient(target: ChainTarget, options: { timeoutMs?: number } = {}): ChainClient {
  const { chainId } = target;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { provider, close } = openRpcConnection(target.rpcUrl, chainId, timeoutMs);
  const node = new URL(target.rpcUrl).host;
  let closed = false;
  let chainChecked: Promise<void> | undefined;

  async function checkChain(): Promise<void> {
    const served = Number(await provider.send('eth_chainId', []));
    if (served !== chainId) {
      throw new ChainUnavailableError(`node ${node} serves chain ${served}, not the configured chain ${chainId}`);
    }
  }

  /** Runs `operation` once the node is known to serve the right chain. */
  async function onChain<T>(operation: () => Promise<T>): Promise<T> {
    // Retryable like a request cut short by close(): a caller holding a client that was
    // replaced (a new RPC URL) gets a fresh one on its next attempt.
    if (closed) throw new ChainUnavailableError('chain client closed');
    chainChecked ??= checkChain().catch((error: unknown) => {
      chainChecked = undefined;
      throw error;
    });
    await chainChecked;
    return operation();
  }

  /** Fails like the transaction would, decoded, or returns its gas limit with headroom. */
  async function gasLimitOf(transaction: TransactionRequest, action: string): Promise<bigint> {
    try {
      // eth_call first: nodes reliably return revert data from it, not always from
      // eth_estimateGas.
      await provider.call(transaction);
      return ((await provider.estimateGas(transaction)) * gasHeadroomPercent) / 100n;
    } catch (error) {
      throw revertRefusal(error, action) ?? error;
    }
  }

  async function feeFields(): Promise<Pick<TransactionRequest, 'type' | 'gasPrice' | 'maxFeePerGas' | 'maxPriorityFeePerGas'>> {
    // ethers: maxFeePerGas = 2 × latest base fee + priority fee, room for the base fee to
    // rise for several full blocks before the transaction is mined.
    const fees = await provider.getFeeData();
    if (fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null) {
      return { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    }
    if (fees.gasPrice !== null) return { type: 0, gasPrice: fees.gasPrice };
    throw new ChainUnavailableError(`node ${node} reported no gas price`);
  }

  async function sign(wallet: Wallet, transaction: TransactionRequest, action: string): Promise<SignedTransaction> {
    const gasLimit = await gasLimitOf({ ...transaction, from: wallet.address }, action);
    const rawTransaction = await wallet.signTransaction({ ...transaction, ...(await feeFields()), gasLimit, chainId });
    return { rawTransaction, hash: Transaction.from(rawTransaction).hash!, nonce: Number(transaction.nonce), from: wallet.address };
  }

  async function signCreation(wallet: Wallet, creationCode: string, nonce: number, action: string): Promise<DeploymentTransaction> {
    const signed = await sign(wallet, { data: creationCode, nonce }, action);
    return { ...signed, contractAddress: getCreateAddress({ from: wallet.address, nonce }) };
  }

  async function readLogs(address: string, topic0: string, fromBlock: number, toBlock: number): Promise<RawLog[]> {
    if (fromBlock > toBlock) return [];
    try {
      const logs = await provider.getLogs({ address: getAddress(address), topics: [topic0], fromBlock, toBlock });
      return logs
        .map((log) => ({
          blockNumber: log.blockNumber,
          blockHash: log.blockHash,
          transactionHash: log.transactionHash,
          logIndex: log.index,
          topics: log.topics,
          data: log.data,
        }))
        .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    } catch (error) {
      throw logRangeRefusal(error) ?? error;
    }
  }

  async function readToken(contractAddress: string, method: 'balanceOf' | 'paused', args: unknown[]): Promise<unknown> {
    const to = getAddress(contractAddress);
    const result = await provider.call({ to, data: nexusTokenInterface.encodeFunctionData(method, args) });
    // An address without code answers every call with nothing.
    if (result === '0x') throw new Error(`no contract at ${to} on chain ${chainId}`);
    return nexusTokenInterface.decodeFunctionResult(method, result)[0];
  }

  return {
    chainId,

    headNumber: () => onChain(() => provider.getBlockNumber()),

    blockHash: (blockNumber) => onChain(async () => (await provider.getBlock(blockNumber))?.hash ?? null),

    nonceOf: (address) => onChain(() => provider.getTransactionCount(getAddress(address), 'pending')),

    balanceOfEth: (address) => onChain(() => provider.getBalance(getAddress(address))),

    signDeployment: (privateKey, params, nonce) =>
      onChain(async () => {
        const wallet = new Wallet(privateKey);
        const constructorArguments = nexusTokenInterface.encodeDeploy([
          params.name,
          params.symbol,
          params.decimals,
          params.initialSupply,
          getAddress(params.owner),
        ]);
        return signCreation(wallet, concat([nexusTokenBytecode, constructorArguments]), nonce, `deployment of ${params.symbol}`);
      }),

    signContractDeployment: (privateKey, creationCode, nonce, action) =>
      onChain(() => signCreation(new Wallet(privateKey), creationCode, nonce, action)),

    signContractCall: (privateKey, to, data, nonce, action) =>
      onChain(() => sign(new Wallet(privateKey), { to: getAddress(to), data, nonce }, action)),

    call: (to, data) => onChain(() => provider.call({ to: getAddress(to), data })),

    codeAt: (address) => onChain(() => provider.getCode(getAddress(address))),

    blockHeader: (block) =>
      onChain(async () => {
        const found = await provider.getBlock(block);
        return found?.hash ? { number: found.number, hash: found.hash, timestamp: found.timestamp } : null;
      }),

    logs: (address, topic0, fromBlock, toBlock) => onChain(() => readLogs(address, topic0, fromBlock, toBlock)),

    signCall: (privateKey, contractAddress, call, nonce) =>
      onChain(() =>
        sign(
          new Wallet(privateKey),
          { to: getAddress(contractAddress), data: tokenCallData(call), nonce },
          `${call.method} on ${contractAddress}`,
        ),
      ),

    broadcast: (rawTransaction) =>
      onChain(async () => {
        const { hash } = Transaction.from(rawTransaction);
        const known = async () => (await provider.send('eth_getTransactionByHash', [hash])) !== null;
        // Asking first makes sending again safe on every node, including those that do not
        // check a mined transaction's nonce (ganache 7 ran one again at nonce 0), and saves
        // decoding the many ways nodes word "already known".
        if (await known()) return;
        try {
          await provider.send('eth_sendRawTransaction', [rawTransaction]);
        } catch (error) {
          const refusal = broadcastRefusal(error);
          if (!refusal) throw error;
          // Nodes word "I have this one" in many ways ("already known", "transaction
          // underpriced", "nonce too low" once mined); what counts is whether this very
          // hash is known, for instance because another broadcast of it won the race.
          if (await known()) return;
          throw refusal;
        }
      }),

    receipt: (hash) =>
      onChain(async () => {
        const receipt = await provider.getTransactionReceipt(hash);
        if (!receipt) return null;
        const head = await provider.getBlockNumber();
        return {
          // Every chain since Byzantium (2017) reports a status; 1 is success.
          status: receipt.status === 1 ? 'success' : 'reverted',
          blockNumber: receipt.blockNumber,
          blockHash: receipt.blockHash,
          // At least 1 even when the head was read from a node a block behind.
          confirmations: Math.max(1, head - receipt.blockNumber + 1),
          contractAddress: receipt.contractAddress === null ? null : getAddress(receipt.contractAddress),
          gasUsed: receipt.gasUsed,
        };
      }),

    balanceOf: (contractAddress, holder) =>
      onChain(async () => (await readToken(contractAddress, 'balanceOf', [getAddress(holder)])) as bigint),

    paused: (contractAddress) => onChain(async () => (await readToken(contractAddress, 'paused', [])) as boolean),

    transferLogs: (contractAddress, fromBlock, toBlock) =>
      onChain(async () => {
        const transfer = nexusTokenInterface.getEvent('Transfer')!;
        const logs = await readLogs(contractAddress, transfer.topicHash, fromBlock, toBlock);
        return logs.map((log): TransferLog => {
          const [from, to, value] = nexusTokenInterface.decodeEventLog(transfer, log.data, log.topics);
          return {
            blockNumber: log.blockNumber,
            blockHash: log.blockHash,
            transactionHash: log.transactionHash,
            logIndex: log.logIndex,
            from: getAddress(from as string),
            to: getAddress(to as string),
            value: value as bigint,
          };
        });
      }),

    close: async () => {
      closed = true;
      close();
    },
  };
}
