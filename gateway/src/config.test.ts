import { subgraphNames, subgraphUrlVariable } from '@token-nexus/shared';
import { describe, expect, test } from 'vitest';
import { loadGatewayConfig } from './config.ts';

/** What a production gateway must be given before EXPLORER matters. */
const production = {
  NODE_ENV: 'production',
  GATEWAY_SIGNING_SECRET: 'a production signing secret of forty characters',
  AUTH_JWT_SECRET: 'a production access token secret, forty chars',
  REDIS_URL: 'redis://127.0.0.1:6379',
  EVENT_CHANNEL_PREFIX: 'tnx-prod:',
  ...Object.fromEntries(subgraphNames.map((name) => [subgraphUrlVariable(name), `http://${name}:4000/graphql`])),
};

describe('EXPLORER', () => {
  test('is GraphiQL outside production and nothing in production, unless set', () => {
    expect(loadGatewayConfig({}).explorer).toBe('on');
    expect(loadGatewayConfig(production).explorer).toBe('off');
    expect(loadGatewayConfig({ ...production, EXPLORER: 'on' }).explorer).toBe('on');
    expect(loadGatewayConfig({ EXPLORER: 'sandbox' }).explorer).toBe('sandbox');
  });

  test('any other value stops the gateway, naming the choices', () => {
    expect(() => loadGatewayConfig({ EXPLORER: 'graphiql' })).toThrow('EXPLORER: must be one of on, sandbox, off');
  });
});
