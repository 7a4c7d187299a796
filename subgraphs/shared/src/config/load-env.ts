import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

export interface EnvContext {
  /** NODE_ENV is `production`: secrets have no defaults and developer tools are off. */
  production: boolean;
}

const nodeEnvSchema = z.enum(['development', 'test', 'production']).default('development');

/**
 * Validates the variables a service reads, once, at start-up. `describe` returns a zod
 * shape keyed by variable names; the first bad or missing variable of each kind is named
 * in the error, so a misconfigured process fails fast with a readable message.
 *
 * Empty or blank strings count as unset (as `VAR=` in a compose file means "not given").
 */
export function loadEnv<Shape extends z.ZodRawShape>(
  env: Environment,
  describe: (context: EnvContext) => Shape,
): z.output<z.ZodObject<Shape>> & { NODE_ENV: z.output<typeof nodeEnvSchema> } {
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const nodeEnv = nodeEnvSchema.safeParse(given.NODE_ENV);
  if (!nodeEnv.success) {
    throw new ConfigError([
      { variable: 'NODE_ENV', message: 'must be one of development, test, production' },
    ]);
  }
  const shape = {
    ...describe({ production: nodeEnv.data === 'production' }),
    NODE_ENV: nodeEnvSchema,
  };
  recording?.record(shape);
  const schema = z.object(shape);
  const result = schema.safeParse(given);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  return result.data as z.output<z.ZodObject<Shape>> & {
    NODE_ENV: z.output<typeof nodeEnvSchema>;
  };
}

/** A TCP port number; `0` asks the OS for a free one (tests). */
export function port(defaultPort: number) {
  return z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a port number')
    .min(0, 'must be a port number')
    .max(65535, 'must be a port number')
    .default(defaultPort);
}

/** The schemas `secret` made, so `environmentReadBy` can tell which variables are secrets. */
const secretSchemas = new WeakSet<z.core.$ZodType>();

/**
 * A shared secret. In production it must be given and at least 32 characters long; in
 * development and tests a fixed, publicly known value stands in, so the quick start runs
 * with no setup (never deploy with it: NODE_ENV=production refuses to start without one).
 */
export function secret({ production }: EnvContext, developmentValue: string) {
  const schema = z
    .string({ message: 'is required in production (at least 32 characters)' })
    .min(32, 'must be at least 32 characters long');
  const variable = production ? schema : schema.default(developmentValue);
  secretSchemas.add(variable);
  return variable;
}

/** The variables a configuration loader reads, as `environmentReadBy` reports them. */
export interface EnvironmentDescription {
  /** Every variable it reads (NODE_ENV included), whether or not the environment sets it. */
  variables: ReadonlySet<string>;
  /** Those read with `secret`: never to be written literally in a deployment file. */
  secrets: ReadonlySet<string>;
}

/**
 * Set while `environmentReadBy` runs a loader. Loading is synchronous, so one slot is
 * enough; it is restored afterwards, so a loader that calls another nests correctly.
 */
let recording: { record(shape: z.ZodRawShape): void } | undefined;

/**
 * Runs a configuration loader (anything that calls `loadEnv` synchronously, such as
 * `loadIdentityConfig`) and reports the variables it reads, taken from the zod shapes it
 * describes rather than from a list kept by hand. A deployment check uses it to refuse a
 * variable no service reads (a typo there is otherwise silently ignored) and to find the
 * secrets. An invalid environment still reports the names (a ConfigError is not
 * rethrown); any other error is.
 */
export function environmentReadBy(load: () => unknown): EnvironmentDescription {
  const variables = new Set<string>();
  const secrets = new Set<string>();
  const previous = recording;
  recording = {
    record(shape) {
      for (const [name, schema] of Object.entries(shape)) {
        variables.add(name);
        if (secretSchemas.has(schema)) secrets.add(name);
      }
    },
  };
  try {
    load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  } finally {
    recording = previous;
  }
  return { variables, secrets };
}

/** A positive whole number of something (seconds, bytes, connections…). */
export function positiveInt(defaultValue: number) {
  return z.coerce
    .number({ message: 'must be a positive whole number' })
    .int('must be a positive whole number')
    .positive('must be a positive whole number')
    .default(defaultValue);
}

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  .default('info');

/** An http(s) or postgres(ql) URL. */
export function url(protocols: string[], message: string) {
  return z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, message);
}
