import type { Token, TokenBalance, TokenTransaction } from '@token-nexus/prisma';
import type { Connection } from '@token-nexus/shared';

/** An entity another subgraph owns, known here by its id only. */
export interface EntityReference {
  id: string;
}

export type TokenConnectionModel = Connection<Token>;
export type TokenBalanceConnectionModel = Connection<TokenBalance>;
export type TokenTransactionConnectionModel = Connection<TokenTransaction>;

/** A `tokenEvents` event: ids only on the bus; the token (and transaction) are read for each subscriber. */
export interface TokenEventModel {
  tokenId: string;
  transactionId: string | null;
}

/** One endpoint of `ChainStatus.endpoints`, as the scanner stores it (the URL already masked). */
export interface ChainEndpointStatusModel {
  url: string;
  healthy: boolean;
  latencyMs: number | null;
  lastError: string | null;
  checkedAt: string | null;
}

/** A `chainStatusChanged` event: the chain's id only; the chain is read for each subscriber. */
export interface ChainStatusEventModel {
  chainId: number;
}
