import { randomUUID } from 'node:crypto';
import type { Actor, Logger } from '@token-nexus/shared';
import type { GatewayContext } from '../context.ts';

/** What a long-lived connection knows of its client, fixed when it is opened. */
export interface ConnectionIdentity {
  actor: Actor;
  clientIp: string | null;
  userAgent: string | null;
}

/**
 * A context for one operation on a long-lived connection (a WebSocket, an event stream):
 * each operation gets its own request id, in its claims and its log lines, as HTTP
 * requests do.
 */
export function operationContext(identity: ConnectionIdentity, logger: Logger): GatewayContext {
  const requestId = randomUUID();
  return {
    requestId,
    claims: { v: 1, actor: identity.actor, requestId, clientIp: identity.clientIp, userAgent: identity.userAgent },
    logger: logger.child({ requestId }),
    log: {},
    rateLimit: { report: null },
  };
}
