import {
  auditContextFromClaims,
  type AuditContext,
  type PrismaClient,
} from '@token-nexus/prisma';
import {
  actingUserId,
  type EventBus,
  type OrganizationAccessClient,
  type PresenceStore,
  type PublicOrganization,
  type PublicOrganizationLookup,
  type SubgraphBaseContext,
  type ViewerAccess,
} from '@token-nexus/shared';
import { createLoaders, type CmsLoaders } from './loaders.ts';
import { policy } from './policy.ts';
import type { ReadyMediaAssets } from './providers/ready-media-assets.ts';
import type { PropsValidatorCache } from './validation/props-validators.ts';

export interface LiveSettings {
  presence: PresenceStore;
  /** How long a session lasts without a sign of life. */
  presenceTtlMs: number;
  /** How far behind the current version an edit or a catch-up may start. */
  maxVersionsBehind: number;
}

/** Everything a resolver of the cms subgraph can use, built once per request. */
export interface CmsContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  loaders: CmsLoaders;
  /** The signed-in user's id, from the verified claims; null when anonymous. */
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  /** The active organization a public slug names (asked from identity, anonymously). */
  publicOrganization: (slug: string) => Promise<PublicOrganization | null>;
  /** Who is acting and from where, for the audit entries of this request's changes. */
  audit: AuditContext;
  /** Compiled props validators, shared by the requests of the process. */
  validators: PropsValidatorCache;
  /** Events to and from every instance (live editing, the audit feed). */
  events: EventBus;
  /** Identity's answer on roles, for checks outside a request (a live subscription's events). */
  organizationAccess: OrganizationAccessClient;
  /** Live editing: who is in which page's session (shared by every replica), and its limits. */
  live: LiveSettings;
  /** Which of these assets of an organization are READY, asked of the media subgraph as the caller. */
  readyMediaAssets: (organizationId: string, ids: readonly string[]) => Promise<Set<string>>;
  /** The secret the graph's services share: it signs the grants that show a published page's assets to anyone. */
  signingSecret: string;
}

/** Builds each request's context from what the process holds once (clients, caches). */
export function createCmsContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  publicOrganizations: PublicOrganizationLookup;
  validators: PropsValidatorCache;
  events: EventBus;
  /** The live feed and cache invalidation of committed changes (see committedChangesHandler). */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Where this service counts security events towards bursts (ServiceResources.bursts). */
  bursts: NonNullable<AuditContext['bursts']>;
  live: LiveSettings;
  media: ReadyMediaAssets;
  signingSecret: string;
}) {
  // Entries reach the live audit feed once committed, like every subgraph's.
  return (base: SubgraphBaseContext): CmsContext => {
    const viewerId = actingUserId(base.claims.actor);
    const access = deps.organizationAccess.forRequest(base.claims);
    return {
      ...base,
      prisma: deps.prisma,
      loaders: createLoaders(deps.prisma, {
        readableOrganizations: async () => policy.readableOrganizations(await access()),
        publicMediaUrls: (organizationId, ids) => deps.media.publicUrls(base.claims, organizationId, ids),
      }),
      viewerId,
      access,
      publicOrganization: (slug) => deps.publicOrganizations.bySlug(base.claims, slug),
      audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
      validators: deps.validators,
      events: deps.events,
      organizationAccess: deps.organizationAccess,
      live: deps.live,
      readyMediaAssets: (organizationId, ids) => deps.media.readyAssets(base.claims, organizationId, ids),
      signingSecret: deps.signingSecret,
    };
  };
}
