import type { ApolloServerPlugin } from '@apollo/server';
import type { Actor } from '@token-nexus/shared';
import type { GatewayContext } from '../context.ts';
import type { ApiCredential, ApiUsageMeter } from './api-usage-meter.ts';
import { operationOrganizations } from './operation-organizations.ts';

/** The credential an actor used; null for anonymous callers, who count for no organization. */
export function credentialOf(actor: Actor): ApiCredential | null {
  if (actor.type === 'client') return actor.credential.kind;
  if (actor.type === 'user') return actor.delegation ? 'oauth_app' : 'user';
  return null;
}

/**
 * Counts every operation the gateway resolves (queries and mutations; a batch counts
 * each) for `api.requests`: a program's for its organization, a user's for each
 * organization its root fields' `orgId` arguments name.
 */
export function apiUsagePlugin(meter: ApiUsageMeter): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, contextValue }) {
          const { actor } = contextValue.claims;
          const credential = credentialOf(actor);
          if (!credential || !operation) return;
          const organizations =
            actor.type === 'client' ? [actor.organizationId] : operationOrganizations(operation, request.variables ?? {});
          for (const organizationId of organizations) meter.record(organizationId, credential);
        },
      };
    },
  };
}
