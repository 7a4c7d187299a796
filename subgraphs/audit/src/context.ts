import {
  auditContextFromClaims,
  type AuditContext,
  type PrismaClient,
} from '@token-nexus/prisma';
import {
  actingUserId,
  type EventBus,
  type OrganizationAccessClient,
  type SubgraphBaseContext,
  type ViewerAccess,
} from '@token-nexus/shared';
import type { DownloadSigner } from './providers/download-links.ts';

/** Everything a resolver of the audit subgraph can use, built once per request. */
export interface AuditSubgraphContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  /** Asks identity for roles (again, for long-lived subscriptions). */
  organizationAccess: OrganizationAccessClient;
  /** Who is acting and from where, for the audit entries of this request's changes. */
  audit: AuditContext;
  downloads: DownloadSigner;
  /** Where the live audit feed is heard. */
  events: EventBus;
}

export function createAuditContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  downloads: DownloadSigner;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
}) {
  return (base: SubgraphBaseContext): AuditSubgraphContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    organizationAccess: deps.organizationAccess,
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    downloads: deps.downloads,
    events: deps.events,
  });
}
