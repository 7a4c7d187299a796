import { describe, expect, test } from 'vitest';
import { runEntryPoint } from '../testkit/run-entry-point.ts';

/** Starts a service's own entry point with exactly `env`, as a container would. */
function startWith(entry: string, env: Record<string, string>) {
  return runEntryPoint(entry, [], env);
}

describe('a service started with bad configuration', () => {
  test('the gateway exits at once, naming the bad variable', async () => {
    const result = await startWith('gateway/src/main.ts', { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n {2}PORT: must be a port number/m);
  });

  test('identity in production without secrets names each missing one', async () => {
    const result = await startWith('subgraphs/identity/src/main.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GATEWAY_SIGNING_SECRET: is required in production');
    expect(result.stderr).toContain('AUTH_JWT_SECRET: is required in production');
  });

  test('a short secret, a bad subgraph URL and a bad NODE_ENV are each named', async () => {
    const gateway = await startWith('gateway/src/main.ts', {
      GATEWAY_SIGNING_SECRET: 'short',
      IDENTITY_URL: 'identity:4001',
    });
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toContain('GATEWAY_SIGNING_SECRET: must be at least 32 characters long');
    expect(gateway.stderr).toContain('IDENTITY_URL: must be an http(s) URL');
    const nodeEnv = await startWith('gateway/src/main.ts', { NODE_ENV: 'staging' });
    expect(nodeEnv.stderr).toContain('NODE_ENV: must be one of development, test, production');
  });
});
