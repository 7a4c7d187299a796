import { openDatabase, type Database } from '@token-nexus/prisma';
import { createLogger, startSubgraphServer, type RunningSubgraph } from '@token-nexus/shared';
import type { IdentityConfig } from './config.ts';
import { createIdentityContextFactory } from './context.ts';
import { identitySubgraph } from './index.ts';

/**
 * Starts the identity subgraph. `database` is given when several services share one
 * process (the quick start, the tests); otherwise it opens its own from the config.
 */
export async function startIdentity(
  config: IdentityConfig,
  options: { database?: Database } = {},
): Promise<RunningSubgraph> {
  const logger = createLogger('identity', config.logLevel);
  const database = options.database ?? (await openDatabase(config.database));
  const running = await startSubgraphServer({
    subgraph: identitySubgraph,
    host: config.server.host,
    port: config.server.port,
    signingSecret: config.signingSecret,
    logger,
    createContext: createIdentityContextFactory({ prisma: database.prisma, auth: config.auth }),
    checkReady: database.ping,
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      if (!options.database) await database.close();
    },
  };
}
