/**
 * The tokens subgraph's blockchain layer: a bounded JSON-RPC client that signs, sends and
 * reads NexusToken transactions, and the contract's committed ABI and bytecode.
 */
export {
  ChainCallRefusedError,
  ChainUnavailableError,
  LogRangeTooLargeError,
  createChainClient,
  type BlockHeader,
  type ChainClient,
  type RawLog,
  type ChainTarget,
  type DeploymentTransaction,
  type ReceiptStatus,
  type SignedTransaction,
  type TokenCall,
  type TransferLog,
} from './chain-client.ts';
export { nexusTokenAbi, nexusTokenBytecode, nexusTokenInterface } from './nexus-token.ts';
export {
  nexusTokenFactoryAbi,
  nexusTokenFactoryBytecode,
  nexusTokenFactoryInterface,
  nexusTokenImplementationAbi,
  nexusTokenImplementationBytecode,
  nexusTokenImplementationInterface,
} from './nexus-token-factory.ts';
export { predictCloneAddress, tokenSalt, type CloneAddressQuery } from './predict-clone-address.ts';
export {
  createFailoverChainClient,
  type EndpointHealth,
  type FailoverChainClient,
  type FailoverOptions,
} from './failover-chain-client.ts';
export { NotAnErc20Error, readErc20Metadata, type Erc20Metadata } from './erc20-metadata.ts';
export { maskRpcUrl } from './mask-rpc-url.ts';
