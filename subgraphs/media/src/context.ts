import { auditContextFromClaims, type AuditContext, type PrismaClient } from '@token-nexus/prisma';
import {
  actingUserId,
  type EventBus,
  type OrganizationAccessClient,
  type SubgraphBaseContext,
  type ViewerAccess,
} from '@token-nexus/shared';
import type { MediaConfig } from './config.ts';
import { createLoaders, type MediaLoaders } from './loaders.ts';
import type { AssetNotifier } from './providers/asset-updates.ts';
import type { MediaStorage } from './storage/media-storage.ts';

/** Everything a resolver of the media subgraph can use, built once per request. */
export interface MediaContext extends SubgraphBaseContext {
  prisma: PrismaClient;
  /** The signed-in user's id (or a program's accountable user); null when anonymous. */
  viewerId: string | null;
  /** The caller's roles, asked from identity on first use in the request. */
  access: () => Promise<ViewerAccess>;
  audit: AuditContext;
  storage: MediaStorage;
  limits: MediaConfig['limits'];
  /** Verifies the cms subgraph's grants for published pages' assets (the gateway signing secret). */
  signingSecret: string;
  /** Asks the cms subgraph which published pages use assets. */
  cmsUrl: string;
  notifyAssets: AssetNotifier;
  events: EventBus;
  organizationAccess: OrganizationAccessClient;
  loaders: MediaLoaders;
}

export function createMediaContextFactory(deps: {
  prisma: PrismaClient;
  organizationAccess: OrganizationAccessClient;
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  bursts: NonNullable<AuditContext['bursts']>;
  storage: MediaStorage;
  limits: MediaConfig['limits'];
  signingSecret: string;
  cmsUrl: string;
  notifyAssets: AssetNotifier;
  events: EventBus;
}) {
  return (base: SubgraphBaseContext): MediaContext => ({
    ...base,
    prisma: deps.prisma,
    viewerId: actingUserId(base.claims.actor),
    access: deps.organizationAccess.forRequest(base.claims),
    audit: auditContextFromClaims(base.claims, deps.onAuditRecorded, deps.bursts),
    storage: deps.storage,
    limits: deps.limits,
    signingSecret: deps.signingSecret,
    cmsUrl: deps.cmsUrl,
    notifyAssets: deps.notifyAssets,
    events: deps.events,
    organizationAccess: deps.organizationAccess,
    loaders: createLoaders(deps.prisma),
  });
}
