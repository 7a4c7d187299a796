import { auditContextFromClaims, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import { actingUserId, type EventBus, type KeyVault, type OrganizationAccessClient, type SubgraphBaseContext, type ViewerAccess } from '@token-nexus/shared';

/** Everything a resolver of the integrations subgraph can use, built once per request. */
export interface IntegrationsContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  viewerId: string | null;
  access: () => Promise<ViewerAccess>;
  audit: AuditContext;
  keys: KeyVault;
  /** The operator's exceptions to the SSRF guard. */
  webhookAllowList: string[];
}

export function createIntegrationsContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  keys: KeyVault;
  webhookAllowList: string[];
}) {
  return (base: SubgraphBaseContext): IntegrationsContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    keys: deps.keys,
    webhookAllowList: deps.webhookAllowList,
  });
}
