/**
 * The tokens subgraph's blockchain layer: a bounded JSON-RPC client that signs, sends and
 * reads NexusToken transactions, and the contract's committed ABI and bytecode.
 */
export {
  ChainCallRefusedError,
  ChainUnavailableError,
  createChainClient,
  type ChainClient,
  type ChainTarget,
  type DeploymentTransaction,
  type ReceiptStatus,
  type SignedTransaction,
  type TokenCall,
  type TransferLog,
} from './chain-client.ts';
export { nexusTokenAbi, nexusTokenBytecode, nexusTokenInterface } from './nexus-token.ts';
