import {
  auditContextFromClaims,
  type AuditContext,
  type PrismaClient,
} from '@token-nexus/prisma';
import { actingUserId, type EventBus, type OrganizationAccessClient, type SubgraphBaseContext, type ViewerAccess } from '@token-nexus/shared';
import { createLoaders, type TokensLoaders } from './loaders.ts';
import type { KeyVault } from '@token-nexus/shared';
import type { ChainClients } from './jobs/chain-clients.ts';
import type { TokenJobDefinitions } from './jobs/token-jobs.ts';

/** Everything a resolver of the tokens subgraph can use, built once per request. */
export interface TokensContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  loaders: TokensLoaders;
  /** The signed-in user's id, from the verified claims; null when anonymous. */
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  organizationAccess: OrganizationAccessClient;
  audit: AuditContext;
  events: EventBus;
  keys: KeyVault;
  /** The job queues chain work goes through. */
  jobs: TokenJobDefinitions;
  /** The process's chain clients, for the few reads a request makes on chain (`importToken`). */
  clients: ChainClients;
}

export function createTokensContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  keys: KeyVault;
  jobs: TokenJobDefinitions;
  clients: ChainClients;
}) {
  return (base: SubgraphBaseContext): TokensContext => ({
    ...base,
    prisma: deps.prisma,
    loaders: createLoaders(deps.prisma),
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    organizationAccess: deps.organizationAccess,
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    events: deps.events,
    keys: deps.keys,
    jobs: deps.jobs,
    clients: deps.clients,
  });
}
