import { describe, expect, test } from 'vitest';
import { ConfigError, loadEnv, logLevel, port, positiveInt, secret, type EnvContext, type Environment } from './load-env.ts';

const developmentSecret = 'development-only secret that is long enough';
const productionSecret = 'a-production-secret-of-32-characters!';

function describeService(context: EnvContext) {
  return {
    PORT: port(4000),
    LOG_LEVEL: logLevel,
    POOL_SIZE: positiveInt(10),
    SIGNING_SECRET: secret(context, developmentSecret),
  };
}

function load(env: Environment) {
  return loadEnv(env, describeService);
}

/** The ConfigError `load(env)` throws (fails the test when it throws nothing else). */
function configErrorOf(env: Environment): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  test('fills every unset variable with its default', () => {
    expect(load({})).toEqual({
      PORT: 4000,
      LOG_LEVEL: 'info',
      POOL_SIZE: 10,
      SIGNING_SECRET: developmentSecret,
      NODE_ENV: 'development',
    });
  });

  test('reads and coerces the variables it is given', () => {
    expect(load({ PORT: '8080', LOG_LEVEL: 'debug', POOL_SIZE: '3', NODE_ENV: 'test' })).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'debug',
      POOL_SIZE: 3,
      NODE_ENV: 'test',
    });
  });

  test('treats empty strings as unset', () => {
    expect(load({ PORT: '', LOG_LEVEL: '', POOL_SIZE: '', SIGNING_SECRET: '', NODE_ENV: '' })).toEqual(load({}));
  });

  test('treats blank strings as unset rather than as port 0', () => {
    expect(load({ PORT: '  ' }).PORT).toBe(4000);
  });

  test('names each bad variable in the problems and in the message', () => {
    const error = configErrorOf({ PORT: 'eighty', LOG_LEVEL: 'loud', POOL_SIZE: '-1' });
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toEqual([
      { variable: 'PORT', message: 'must be a port number' },
      { variable: 'LOG_LEVEL', message: 'must be one of fatal, error, warn, info, debug, trace, silent' },
      { variable: 'POOL_SIZE', message: 'must be a positive whole number' },
    ]);
    expect(error.message).toContain('PORT: must be a port number');
    expect(error.message).toContain('LOG_LEVEL: must be one of');
    expect(error.message).toContain('POOL_SIZE: must be a positive whole number');
  });

  test('allows port 0 so the OS can pick a free port', () => {
    expect(load({ PORT: '0' }).PORT).toBe(0);
  });

  test.each(['70000', '65536', '-1', '80.5'])('refuses port %s', (value) => {
    expect(configErrorOf({ PORT: value }).problems).toEqual([{ variable: 'PORT', message: 'must be a port number' }]);
  });

  test('requires secrets in production', () => {
    expect(configErrorOf({ NODE_ENV: 'production' }).problems).toEqual([
      { variable: 'SIGNING_SECRET', message: 'is required in production (at least 32 characters)' },
    ]);
  });

  test('treats an empty secret as missing in production', () => {
    expect(configErrorOf({ NODE_ENV: 'production', SIGNING_SECRET: '' }).problems).toEqual([
      { variable: 'SIGNING_SECRET', message: 'is required in production (at least 32 characters)' },
    ]);
  });

  test('refuses a production secret shorter than 32 characters', () => {
    expect(configErrorOf({ NODE_ENV: 'production', SIGNING_SECRET: 'short' }).problems).toEqual([
      { variable: 'SIGNING_SECRET', message: 'must be at least 32 characters long' },
    ]);
  });

  test('uses a given production secret', () => {
    expect(load({ NODE_ENV: 'production', SIGNING_SECRET: productionSecret }).SIGNING_SECRET).toBe(productionSecret);
  });

  test('refuses a short secret even in development', () => {
    expect(configErrorOf({ SIGNING_SECRET: 'short' }).problems).toEqual([
      { variable: 'SIGNING_SECRET', message: 'must be at least 32 characters long' },
    ]);
  });

  test('refuses an unknown NODE_ENV before reading anything else', () => {
    const error = configErrorOf({ NODE_ENV: 'staging', PORT: 'eighty' });
    expect(error.problems).toEqual([
      { variable: 'NODE_ENV', message: 'must be one of development, test, production' },
    ]);
    expect(error.message).toContain('NODE_ENV: must be one of development, test, production');
  });
});
