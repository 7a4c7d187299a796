import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@token-nexus/prisma';
import { handleInternalRoute } from '@token-nexus/shared';
import { z } from 'zod';
import { verifyStepCredential } from './verify-step-credential.ts';

/**
 * `POST /internal/credentials/verify` `{ secret }` → `{ ok: true, actor }` or `{ ok: false,
 * message }`, for a workflow step's credential (`tnxw_…`): the same route and answer as
 * integrations' for API keys, and likewise only the gateway may ask (signed body).
 */
export function handleStepCredentialRoute(
  request: IncomingMessage,
  response: ServerResponse,
  deps: { prisma: PrismaClient; signingSecret: string; masterKey: string },
): Promise<boolean> {
  return handleInternalRoute(request, response, {
    path: '/internal/credentials/verify',
    signingSecret: deps.signingSecret,
    limitBytes: 4096,
    body: z.object({ secret: z.string().min(1).max(1024) }),
    expected: '{ secret }',
    handle: (body) => verifyStepCredential(deps.prisma, deps.masterKey, body.secret),
  });
}
