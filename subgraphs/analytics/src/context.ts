import type { PrismaClient } from '@token-nexus/prisma';
import {
  actingUserId,
  type EventBus,
  type OrganizationAccessClient,
  type SubgraphBaseContext,
  type ViewerAccess,
} from '@token-nexus/shared';
import { createLoaders, type AnalyticsLoaders } from './loaders.ts';
import type { PublishedPageLookup } from './providers/published-pages.ts';
import type { RawEventStore } from './ingest/raw-event-store.ts';

/** Everything a resolver of the analytics subgraph can use, built once per request. */
export interface AnalyticsContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  loaders: AnalyticsLoaders;
  /** The signed-in user's id (or a program's accountable user); null when anonymous. */
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  /** Identity's answer on roles, for checks outside a request (a live subscription's events). */
  organizationAccess: OrganizationAccessClient;
  /** The published page an anonymous event names (asked from cms, cached briefly). */
  publishedPages: PublishedPageLookup;
  raw: RawEventStore;
  /** Where metric changes are heard. */
  events: EventBus;
}

export function createAnalyticsContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  publishedPages: PublishedPageLookup;
  raw: RawEventStore;
  events: EventBus;
}) {
  return (base: SubgraphBaseContext): AnalyticsContext => ({
    ...base,
    prisma: deps.prisma,
    loaders: createLoaders(deps.prisma),
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    organizationAccess: deps.organizationAccess,
    publishedPages: deps.publishedPages,
    raw: deps.raw,
    events: deps.events,
  });
}
