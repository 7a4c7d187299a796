import { auditContextFromClaims, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import {
  actingUserId,
  type KeyVault,
  type OrganizationAccessClient,
  type SubgraphBaseContext,
  type ViewerAccess,
} from '@token-nexus/shared';

/** Everything a resolver of the workflows subgraph can use, built once per request. */
export interface WorkflowsContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  /** The signed-in user's id (or a program's accountable user); null when anonymous. */
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  audit: AuditContext;
  /** Encrypts and decrypts the secret headers of httpRequest steps. */
  keys: KeyVault;
}

export function createWorkflowsContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  keys: KeyVault;
}) {
  return (base: SubgraphBaseContext): WorkflowsContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    keys: deps.keys,
  });
}
