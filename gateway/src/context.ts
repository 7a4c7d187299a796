import type { Claims, Logger } from '@token-nexus/shared';

/** What is known of one request at the gateway, once it is authenticated. */
export interface GatewayContext {
  requestId: string;
  /** Verified identity plus request facts; signed and sent to every subgraph. */
  claims: Claims;
  logger: Logger;
  /** Filled in while the operation runs, logged when the response is done. */
  log: { operationName?: string | null; errors?: number };
}
