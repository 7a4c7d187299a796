import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';
import type { RevokedCredentialUse } from './revoked-credential-use.ts';
import { verifyCredential } from './verify-credential.ts';

/** Where the gateway asks who a program's bearer secret stands for. */
export const credentialRoutePath = '/internal/credentials/verify';

/**
 * `POST /internal/credentials/verify` `{ secret }` → `{ ok: true, actor }` or
 * `{ ok: false, message }`. Only the gateway may ask: the request must carry the gateway's
 * signature over its body (as every GraphQL request to a subgraph does), so nobody else
 * can use this route to test secrets.
 */
export function handleCredentialRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string; onRevokedUse: (use: RevokedCredentialUse) => Promise<void> },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: credentialRoutePath,
    signingSecret: deps.signingSecret,
    limitBytes: 4096,
    body: z.object({ secret: z.string().min(1).max(512) }),
    expected: '{ secret }',
    handle: (body) => verifyCredential(deps.prisma, body.secret, { onRevokedUse: deps.onRevokedUse }),
  });
}
