import {
  createBurstCounter,
  createCacheTagVersions,
  createEventBus,
  createLogger,
  createMetricsRegistry,
  startMetricsServer,
  type BurstCounter,
  type CacheTagVersions,
  type MetricsAccess,
  type TracingSettings,
  type DatabaseSettings,
  type EventBus,
  type Logger,
} from '@token-nexus/shared';
import { committedChangesHandler } from './audit/committed-changes.ts';
import type { AuditContext } from './audit/record-audit.ts';
import type { Registry } from 'prom-client';
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
  /** For every request's AuditContext: where security events are counted towards bursts. */
  bursts: BurstCounter;
  /** Where the service records metrics and sends traces: what its subgraph server takes. */
  observability: { registry: Registry; metrics: MetricsAccess; tracing: TracingSettings };
  /** Closes what it opened; what the caller gave it stays the caller's to close. */
  close(): Promise<void>;
}

/** What the launcher shares between the services of one process (each opens its own otherwise). */
export interface GivenResources {
  database?: Database;
  events?: EventBus;
  cacheVersions?: CacheTagVersions;
  /** The process's metrics registry, which its one `/metrics` serves. */
  metrics?: Registry;
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
    server: { host: string };
    metrics: MetricsAccess & { port: number | undefined; enabled: boolean };
    tracing: TracingSettings;
  },
  given: GivenResources = {},
): Promise<ServiceResources> {
  const logger = createLogger(name, config.logLevel);
  const database = given.database ?? (await openDatabase(config.database));
  const events =
    given.events ?? createEventBus({ redisUrl: config.redisUrl, channelPrefix: config.keyPrefix, logger });
  const cacheVersions =
    given.cacheVersions ??
    createCacheTagVersions({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: name, logger });
  const bursts = createBurstCounter({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix, service: name, logger });
  // A service on its own has its own registry, and its own METRICS_PORT listener if set;
  // in a shared process whoever gave the registry serves it.
  const registry = given.metrics ?? createMetricsRegistry({ enabled: config.metrics.enabled });
  const metricsServer =
    !given.metrics && config.metrics.port !== undefined
      ? await startMetricsServer(registry, { host: config.server.host, port: config.metrics.port })
      : null;
  return {
    logger,
    database,
    events,
    cacheVersions,
    onAuditRecorded: committedChangesHandler({ events, cacheVersions, logger }),
    bursts,
    observability: { registry, metrics: config.metrics, tracing: config.tracing },
    close: async () => {
      await metricsServer?.close();
      await bursts.close();
      if (!given.database) await database.close();
      if (!given.events) await events.close();
      if (!given.cacheVersions) await cacheVersions.close();
    },
  };
}
