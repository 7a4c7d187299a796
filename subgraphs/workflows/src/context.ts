import type { EngineSettings } from './engine/engine-settings.ts';
import type { RunNotifier } from './engine/run-updates.ts';
import { createLoaders, type WorkflowsLoaders } from './loaders.ts';
import { auditContextFromClaims, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import {
  actingUserId,
  type EventBus,
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
  /** Encrypts and decrypts the secret headers of httpRequest steps and inbound secrets. */
  keys: KeyVault;
  /** The engine's limits (concurrent runs, time and size caps, timings). */
  engine: EngineSettings;
  /** Tells `workflowRunUpdated` subscribers about runs a committed change touched. */
  notifyRuns: RunNotifier;
  /** For subscriptions: run changes, and the end of a subscriber's access. */
  events: EventBus;
  organizationAccess: OrganizationAccessClient;
  loaders: WorkflowsLoaders;
}

export function createWorkflowsContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  keys: KeyVault;
  engine: EngineSettings;
  notifyRuns: RunNotifier;
  events: EventBus;
}) {
  return (base: SubgraphBaseContext): WorkflowsContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    keys: deps.keys,
    engine: deps.engine,
    notifyRuns: deps.notifyRuns,
    events: deps.events,
    organizationAccess: deps.organizationAccess,
    loaders: createLoaders(deps.prisma),
  });
}
