import {
  auditContextFromClaims,
  type AuditContext,
  type PrismaClient,
} from '@token-nexus/prisma';
import type { EventBus, SessionRevocations, SubgraphBaseContext } from '@token-nexus/shared';
import type { IdentityConfig } from './config.ts';
import { createLoaders, type IdentityLoaders } from './loaders.ts';

/** Everything a resolver of the identity subgraph can use, built once per request. */
export interface IdentityContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  loaders: IdentityLoaders;
  auth: IdentityConfig['auth'];
  /** Where ended sessions are recorded for the gateway to refuse their access tokens. */
  revocations: SessionRevocations;
  /** The signed-in user's id, from the verified claims; null when anonymous. */
  viewerId: string | null;
  /** Who is acting and from where, for the audit entries of this request's changes. */
  audit: AuditContext;
  /** Events to other services (e.g. that someone's access changed). */
  events: EventBus;
  /** Where the emails this service sends link to. */
  dashboardUrl: string;
}

export function createIdentityContextFactory(deps: {
  prisma: PrismaClient;
  auth: IdentityConfig['auth'];
  revocations: SessionRevocations;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  dashboardUrl: string;
}) {
  return (base: SubgraphBaseContext): IdentityContext => {
    const viewerId = base.claims.actor.type === 'user' ? base.claims.actor.userId : null;
    return {
      ...base,
      prisma: deps.prisma,
      auth: deps.auth,
      revocations: deps.revocations,
      viewerId,
      audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
      events: deps.events,
      dashboardUrl: deps.dashboardUrl,
      loaders: createLoaders(deps.prisma, viewerId),
    };
  };
}
