import {
  createCacheTagVersions,
  createEventBus,
  createLogger,
  type CacheTagVersions,
  type DatabaseSettings,
  type EventBus,
  type Logger,
} from '@token-nexus/shared';
import { committedChangesHandler } from './audit/committed-changes.ts';
import type { AuditContext } from './audit/record-audit.ts';
import { openDatabase, type Database } from './database.ts';

/**
 * What a subgraph process holds besides its server: a logger, its database, the event
 * bus, the cache's tag versions, and what to do once audited changes commit.
 */
export interface ServiceResources {
  logger: Logger;
  database: Database;
  events: EventBus;
  cacheVersions: CacheTagVersions;
  /** For every AuditContext: the live feed and cache invalidation of committed changes. */
  onAuditRecorded: NonNullable<AuditContext['onRecorded']>;
  /** Closes what it opened; what the caller gave it stays the caller's to close. */
  close(): Promise<void>;
}

/**
 * Opens a subgraph's database, event bus and cache tag versions from its configuration,
 * or takes them as given when several services share one process (the launcher, the tests).
 */
export async function openServiceResources(
  name: string,
  config: {
    logLevel: Parameters<typeof createLogger>[1];
    database: DatabaseSettings;
    redisUrl: string | undefined;
    keyPrefix: string;
  },
  given: { database?: Database; events?: EventBus; cacheVersions?: CacheTagVersions } = {},
): Promise<ServiceResources> {
  const logger = createLogger(name, config.logLevel);
  const database = given.database ?? (await openDatabase(config.database));
  const events =
    given.events ?? createEventBus({ redisUrl: config.redisUrl, channelPrefix: config.keyPrefix, logger });
  const cacheVersions =
    given.cacheVersions ??
    createCacheTagVersions({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: name, logger });
  return {
    logger,
    database,
    events,
    cacheVersions,
    onAuditRecorded: committedChangesHandler({ events, cacheVersions, logger }),
    close: async () => {
      if (!given.database) await database.close();
      if (!given.events) await events.close();
      if (!given.cacheVersions) await cacheVersions.close();
    },
  };
}
