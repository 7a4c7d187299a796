import { createEventBus, createLogger, type DatabaseSettings, type EventBus, type Logger } from '@token-nexus/shared';
import { openDatabase, type Database } from './database.ts';

/** What a subgraph process holds besides its server: a logger, its database, the event bus. */
export interface ServiceResources {
  logger: Logger;
  database: Database;
  events: EventBus;
  /** Closes what it opened; what the caller gave it stays the caller's to close. */
  close(): Promise<void>;
}

/**
 * Opens a subgraph's database and event bus from its configuration, or takes them as
 * given when several services share one process (the launcher, the tests).
 */
export async function openServiceResources(
  name: string,
  config: {
    logLevel: Parameters<typeof createLogger>[1];
    database: DatabaseSettings;
    redisUrl: string | undefined;
    keyPrefix: string;
  },
  given: { database?: Database; events?: EventBus } = {},
): Promise<ServiceResources> {
  const logger = createLogger(name, config.logLevel);
  const database = given.database ?? (await openDatabase(config.database));
  const events =
    given.events ?? createEventBus({ redisUrl: config.redisUrl, channelPrefix: config.keyPrefix, logger });
  return {
    logger,
    database,
    events,
    close: async () => {
      if (!given.database) await database.close();
      if (!given.events) await events.close();
    },
  };
}
