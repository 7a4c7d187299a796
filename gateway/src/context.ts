import type { Claims, Logger, RateLimitReport } from '@token-nexus/shared';

/** What is known of one request at the gateway, once it is authenticated. */
export interface GatewayContext {
  requestId: string;
  /** Verified identity plus request facts; signed and sent to every subgraph. */
  claims: Claims;
  logger: Logger;
  /** The tightest rate limit a subgraph applied to this request, for the response's headers. */
  rateLimit: { report: RateLimitReport | null };
  /** Filled in while the request is handled, logged (one line) when the response is done. */
  log: RequestLog;
  /** How each subgraph fetch was served (RFC 9211 members), for the Cache-Status header. */
  cacheStatus?: string[];
}

/**
 * The fields a request adds to its log line. Each is small and none may ever hold a secret
 * or a client's input beyond an error message: the line is written without redaction.
 */
export interface RequestLog {
  operationName?: string | null;
  /** Errors in the response (summed over the operations of a batch). */
  errors?: number;
  /**
   * The first error of the response as the gateway knows it: the full reason, even where
   * the client is told less (a limit's refusal in production).
   */
  error?: { code: string; message: string };
  /** The variable whose limit refused the request (MAX_QUERY_DEPTH, BODY_LIMIT_BYTES…). */
  limit?: string;
  /** Operations in a batched request. */
  batchSize?: number;
  /** The request's trace, when it was recorded (the line is written after its span ended). */
  trace_id?: string;
  span_id?: string;
}
