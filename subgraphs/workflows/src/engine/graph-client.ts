import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@token-nexus/prisma';
import type { Claims, OrganizationAccessClient } from '@token-nexus/shared';
import { mintStepCredential } from '../credentials/step-credential.ts';
import { StepFailedError, type StepDependencies } from './step-execution.ts';

/**
 * Sends a `graphql` (or `aiPrompt`) step's operation to the gateway, as any client would,
 * with a credential bound to the step's attempt: the gateway asks this service who it
 * stands for (the workflow's creator, limited to the workflow's scopes), and every
 * subgraph applies its own rules to that. First it checks that the creator is still a
 * member of the organization, so a run whose creator lost access fails with a message
 * that says so rather than with whatever the first field refuses.
 */
export function createGraphClient(options: {
  masterKey: string;
  /** The gateway's GraphQL URL; known late when the whole graph runs in one process. */
  gatewayUrl: () => string | undefined;
  organizationAccess: OrganizationAccessClient;
  /** The workflow's creator, and the attempt of the step now running (the credential is bound to it). */
  attemptOf: (runId: string, stepKey: string) => Promise<{ creatorId: string; attempt: number }>;
}): StepDependencies['graphql'] {
  return async (run, step, request, signal) => {
    const url = options.gatewayUrl();
    if (!url) {
      throw new StepFailedError('This service does not know the gateway: set GATEWAY_URL.', { retryable: false, code: 'NOT_CONFIGURED' });
    }
    const { creatorId, attempt } = await options.attemptOf(run.id, step.key);
    await assertCreatorIsMember(options, run.organizationId, creatorId);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${mintStepCredential(options.masterKey, { runId: run.id, stepKey: step.key, attempt })}`,
      },
      body: JSON.stringify(request),
      signal,
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as Awaited<ReturnType<StepDependencies['graphql']>>;
    } catch {
      throw new Error(`The gateway answered ${response.status} without a GraphQL response.`);
    }
  };
}

async function assertCreatorIsMember(
  options: { organizationAccess: OrganizationAccessClient },
  organizationId: string,
  creatorId: string,
): Promise<void> {
  const claims: Claims = { v: 1, actor: { type: 'user', userId: creatorId }, requestId: randomUUID(), clientIp: null, userAgent: null };
  const access = await options.organizationAccess.forRequest(claims)();
  if (access.isSystemAdmin || access.roles.has(organizationId)) return;
  throw new StepFailedError(
    `The workflow acts as its creator (user ${creatorId}), who is no longer a member of the organization, so it may not act there.`,
    { retryable: false, code: 'FORBIDDEN' },
  );
}

/** `attemptOf` read from the database. */
export function attemptFromDatabase(prisma: PrismaClient) {
  return async (runId: string, stepKey: string) => {
    const step = await prisma.workflowStepRun.findUniqueOrThrow({
      where: { runId_key: { runId, key: stepKey } },
      select: { attempts: true, run: { select: { workflow: { select: { createdById: true } } } } },
    });
    return { creatorId: step.run.workflow.createdById, attempt: step.attempts };
  };
}
