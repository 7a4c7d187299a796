import { randomUUID } from 'node:crypto';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@token-nexus/gateway';
import { subgraphNames, subgraphUrlVariable } from '@token-nexus/shared';
import { inject } from 'vitest';

/** Secrets a production gateway requires; these never sign anything a subgraph checks. */
export const productionSecrets = {
  GATEWAY_SIGNING_SECRET: 'a production signing secret of forty characters',
  AUTH_JWT_SECRET: 'a production access token secret, forty chars',
};

/**
 * The gateway on its own, without subgraphs: enough for what it answers itself (its
 * pages, refusals, `{ __typename }`). Subgraph URLs point at a port nothing listens on.
 */
export function startGatewayAlone(env: Record<string, string> = {}): Promise<RunningGateway> {
  const nowhere = Object.fromEntries(subgraphNames.map((name) => [subgraphUrlVariable(name), 'http://127.0.0.1:9/graphql']));
  return startGateway(
    loadGatewayConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      REDIS_URL: inject('redisUrl'),
      EVENT_CHANNEL_PREFIX: `tnx-test-${randomUUID()}:`,
      ...nowhere,
      ...env,
    }),
  );
}
