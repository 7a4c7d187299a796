import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Actor } from '@token-nexus/shared';
import type { GatewayContext } from '../context.ts';
import type { AnsweredOperation, ApiCredential, ApiUsageMeter } from './api-usage-meter.ts';
import { operationOrganizations } from './operation-organizations.ts';
import { operationOutcome } from './operation-outcome.ts';

/** The credential an actor used; null for anonymous callers, who count for no organization. */
export function credentialOf(actor: Actor): ApiCredential | null {
  if (actor.type === 'client') return actor.credential.kind;
  if (actor.type === 'user') return actor.delegation ? (actor.delegation.workflow ? 'workflow' : 'oauth_app') : 'user';
  return null;
}

/**
 * Counts every operation the gateway resolves (queries and mutations; a batch counts
 * each) for `api.requests`: a program's for its organization, a user's for each
 * organization its root fields' `orgId` arguments name. And records how long each took,
 * from when Apollo starts on it (the body read and the caller authenticated, before
 * parsing) until its response is ready, and its outcome, for those organizations and the
 * platform (anonymous callers' too).
 *
 * Only resolved operations count: one refused before that (unparseable, invalid, over a
 * depth, alias, root field, directive or token limit) has no operation to name or
 * organization to count for. One refused after it (by the cost limit, a permission or a
 * rate limit) counts, with its errors. A subscription's duration is a stream's, nobody's
 * latency: it is not timed.
 */
export function apiUsagePlugin(meter: ApiUsageMeter): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      let answered: Pick<AnsweredOperation, 'organizations' | 'name'> | null = null;
      return {
        async didResolveOperation({ operation, request, contextValue }) {
          if (!operation) return;
          const { actor } = contextValue.claims;
          const credential = credentialOf(actor);
          const organizations = !credential
            ? []
            : actor.type === 'client'
              ? [actor.organizationId]
              : operationOrganizations(operation, request.variables ?? {});
          if (credential) for (const organizationId of organizations) meter.record(organizationId, credential);
          if (operation.operation !== 'subscription') answered = { organizations, name: operation.name?.value ?? null };
        },
        async willSendResponse({ response }) {
          if (!answered) return;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          meter.recordOperation({ ...answered, durationMs: performance.now() - startedAt, outcome: operationOutcome(errors) });
        },
      };
    },
  };
}
