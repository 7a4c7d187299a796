import {
  auditContextFromClaims,
  type AuditContext,
  type PrismaClient,
} from '@token-nexus/prisma';
import type {
  EventBus,
  KeyVault,
  OrganizationAccessClient,
  SubgraphBaseContext,
  ViewerAccess,
} from '@token-nexus/shared';
import type { ReplyRunner } from './generation/reply-runner.ts';

/** Everything a resolver of the ai subgraph can use, built once per request. */
export interface AiContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  viewerId: string | null;
  access: () => Promise<ViewerAccess>;
  organizationAccess: OrganizationAccessClient;
  audit: AuditContext;
  events: EventBus;
  keys: KeyVault;
  replies: ReplyRunner;
  /** The model of new conversations when the organization names none. */
  defaultModel: string;
}

export function createAiContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  keys: KeyVault;
  replies: ReplyRunner;
  defaultModel: string;
}) {
  return (base: SubgraphBaseContext): AiContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: base.claims.actor.type === 'user' ? base.claims.actor.userId : null,
    access: deps.organizationAccess.forRequest(base.claims),
    organizationAccess: deps.organizationAccess,
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    events: deps.events,
    keys: deps.keys,
    replies: deps.replies,
    defaultModel: deps.defaultModel,
  });
}
