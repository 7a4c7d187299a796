/**
 * compose.yaml cannot be run here (there is no Docker engine), so these tests read it the
 * way compose does (anchors, merge keys, `${VAR…}` interpolation) and hold it against the
 * services' own configuration code: the environment each container gets must load with
 * the real `loadGatewayConfig` / `loadIdentityConfig` in production mode, and the ports,
 * URLs, secrets and dependencies must agree with what that code then does. A port or a
 * variable that drifts apart fails here instead of at `docker compose up`.
 *
 * Every check returns the problems it finds rather than asserting, so the tests at the
 * end of each block can break a copy of the file and show that the check notices.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from '@token-nexus/gateway';
import { loadAuditConfig } from '@token-nexus/audit';
import { loadCmsConfig } from '@token-nexus/cms';
import { loadTokensConfig } from '@token-nexus/tokens';
import { loadAiConfig } from '@token-nexus/ai';
import { loadAnalyticsConfig } from '@token-nexus/analytics';
import { loadIntegrationsConfig } from '@token-nexus/integrations';
import { loadWorkflowsConfig } from '@token-nexus/workflows';
import { loadMediaConfig } from '@token-nexus/media';
import { loadIdentityConfig } from '@token-nexus/identity';
import {
  ConfigError,
  databaseEnv,
  databaseSettings,
  environmentReadBy,
  loadEnv,
  subgraphNames,
  subgraphPortVariable,
  type DatabaseSettings,
  type Environment,
  type SubgraphName,
} from '@token-nexus/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const repositoryRoot = new URL('../../', import.meta.url);

function readRepositoryFile(path: string): string {
  return readFileSync(new URL(path, repositoryRoot), 'utf8');
}

// ---------------------------------------------------------------------------------------
// Reading the file as compose does
// ---------------------------------------------------------------------------------------

/** The parts of a compose service these checks look at (the file may hold more). */
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number | string; published?: string | number })[];
  expose?: (string | number)[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  restart?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** compose.yaml as written: anchors and `<<` merge keys resolved, `${…}` not yet. */
function readComposeFile(): ComposeFile {
  const file: unknown = parse(readRepositoryFile('compose.yaml'), { merge: true });
  if (typeof file !== 'object' || file === null || !('services' in file)) {
    throw new Error('compose.yaml has no services');
  }
  return file as ComposeFile;
}

/** A copy to break in a test; JSON drops the objects YAML aliases may share. */
function copyOf(file: ComposeFile): ComposeFile {
  return JSON.parse(JSON.stringify(file)) as ComposeFile;
}

/** What compose says when a `${VAR:?message}` variable is unset. */
class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** `$$`, `$VAR`, `${VAR}` and `${VAR<op>argument}` with op one of :- - :? ? :+ + */
const interpolationPattern =
  /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation of one value, following its documented rules. */
function interpolate(text: string, hostEnv: Environment): string {
  // A `$` the pattern does not take (e.g. `${A:-${B}}`, nested) would be read wrongly
  // here; refuse it rather than check something compose reads differently.
  if (text.replace(interpolationPattern, '').includes('$')) {
    throw new Error(`unsupported interpolation in ${JSON.stringify(text)}`);
  }
  return text.replace(
    interpolationPattern,
    (
      _match,
      escaped: string | undefined,
      braced: string | undefined,
      operator: string | undefined,
      argument: string | undefined,
      bare: string | undefined,
    ) => {
      if (escaped) return '$';
      const name = (braced ?? bare)!;
      const value = hostEnv[name];
      const unset = value === undefined;
      const unsetOrEmpty = unset || value === '';
      switch (operator) {
        case ':-':
          return unsetOrEmpty ? argument! : value!;
        case '-':
          return unset ? argument! : value;
        case ':?':
          if (unsetOrEmpty) throw new MissingVariableError(name, argument!);
          return value!;
        case '?':
          if (unset) throw new MissingVariableError(name, argument!);
          return value;
        case ':+':
          return unsetOrEmpty ? '' : argument!;
        case '+':
          return unset ? '' : argument!;
        default:
          return value ?? '';
      }
    },
  );
}

/** Interpolates every string value of the file (compose leaves keys alone). */
function interpolateFile(file: ComposeFile, hostEnv: Environment): ComposeFile {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return interpolate(value, hostEnv);
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item)]));
    }
    return value;
  };
  return visit(file) as ComposeFile;
}

/** A service's environment as its container sees it (`KEY:` alone passes the host's on). */
function containerEnvironment(service: ComposeService, hostEnv: Environment): Record<string, string> {
  const entries: [string, string | undefined][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const equals = line.indexOf('=');
        return equals === -1
          ? [line, hostEnv[line]]
          : [line.slice(0, equals), line.slice(equals + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([key, value]) => [
        key,
        value === null ? hostEnv[key] : String(value),
      ]);
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The container ports a service declares, with `expose` or `ports` (short or long form). */
function containerPorts(service: ComposeService): number[] {
  const fromPorts = (service.ports ?? []).map((entry) =>
    typeof entry === 'object' ? String(entry.target) : String(entry).split(':').at(-1)!,
  );
  return [...(service.expose ?? []).map(String), ...fromPorts].map((port) =>
    Number(port.replace(/\/(tcp|udp)$/, '')),
  );
}

function commandLine(service: ComposeService): string | undefined {
  return Array.isArray(service.command) ? service.command.join(' ') : service.command;
}

function dependencyCondition(service: ComposeService, on: string): string | undefined {
  const dependsOn = service.depends_on;
  if (Array.isArray(dependsOn)) return dependsOn.includes(on) ? 'service_started' : undefined;
  const dependency = dependsOn?.[on];
  return dependency && (dependency.condition ?? 'service_started');
}

// ---------------------------------------------------------------------------------------
// What the code expects of each node service
// ---------------------------------------------------------------------------------------

/** The part of a loaded configuration a deployment has to agree with. */
interface LoadedService {
  server?: { host: string; port: number };
  database?: DatabaseSettings;
  signingSecret?: string;
  accessTokenSecret?: string;
  subgraphUrls?: Record<SubgraphName, string>;
}

/**
 * How each subgraph's main.ts loads its configuration. Keyed by SubgraphName, so a
 * subgraph added to the catalog does not type-check until it is described here too.
 */
const subgraphLoaders: Record<SubgraphName, (env: Environment) => LoadedService> = {
  identity: (env) => {
    const config = loadIdentityConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      accessTokenSecret: config.auth.accessTokenSecret,
    };
  },
  audit: (env) => {
    const config = loadAuditConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl } as Record<SubgraphName, string>,
    };
  },
  cms: (env) => {
    const config = loadCmsConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl } as Record<SubgraphName, string>,
    };
  },
  tokens: (env) => {
    const config = loadTokensConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl } as Record<SubgraphName, string>,
    };
  },
  integrations: (env) => {
    const config = loadIntegrationsConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl } as Record<SubgraphName, string>,
    };
  },
  media: (env) => {
    const config = loadMediaConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl, cms: config.cmsUrl } as Record<SubgraphName, string>,
    };
  },
  workflows: (env) => {
    const config = loadWorkflowsConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl } as Record<SubgraphName, string>,
    };
  },
  analytics: (env) => {
    const config = loadAnalyticsConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: { identity: config.identityUrl, cms: config.cmsUrl } as Record<SubgraphName, string>,
    };
  },
  ai: (env) => {
    const config = loadAiConfig(env);
    return {
      server: config.server,
      database: config.database,
      signingSecret: config.signingSecret,
      subgraphUrls: config.toolSources as Record<SubgraphName, string>,
    };
  },
};

interface NodeService {
  name: string;
  /** The command that starts it, from the package.json scripts it runs. */
  command: string;
  /** Reads the configuration as the process does; throws ConfigError when it would refuse to start. */
  load: (env: Environment) => LoadedService;
}

/**
 * What a workspace package's `start` script (`tsx src/main.ts`) runs, as Node runs it
 * from the image's root: `node --import tsx <package>/src/main.ts`. Long-running services
 * are started by Node itself, not through pnpm, because pnpm exits on SIGTERM without
 * passing it on, which would cut in-flight requests instead of draining them.
 */
function startCommand(packageDirectory: string): string {
  const manifest = JSON.parse(readRepositoryFile(`${packageDirectory}/package.json`)) as {
    scripts?: Record<string, string>;
  };
  const entry = /^tsx (\S+)$/.exec(manifest.scripts?.start ?? '')?.[1];
  if (!entry) throw new Error(`${packageDirectory} has no "tsx <entry>" start script`);
  return `node --import tsx ${packageDirectory}/${entry}`;
}

const rootManifest = JSON.parse(readRepositoryFile('package.json')) as {
  packageManager: string;
  engines: { node: string };
  scripts: Record<string, string>;
};

const nodeServices: NodeService[] = [
  {
    name: 'migrate',
    command: rootManifest.scripts.migrate ? 'pnpm migrate' : 'no migrate script',
    // As prisma/src/cli/migrate.ts reads it (that file runs on import, so it is mirrored).
    load: (env) => ({ database: databaseSettings(loadEnv(env, databaseEnv)) }),
  },
  ...subgraphNames.map((name) => ({
    name,
    command: startCommand(`subgraphs/${name}`),
    load: subgraphLoaders[name],
  })),
  {
    name: 'gateway',
    command: startCommand('gateway'),
    load: (env) => {
      const config = loadGatewayConfig(env);
      return {
        server: config.server,
        signingSecret: config.signingSecret,
        accessTokenSecret: config.accessTokenSecret,
        subgraphUrls: config.subgraphUrls,
      };
    },
  },
];

const backingServices = ['postgres', 'redis'];

/**
 * The Postgres image's own secret. The services never read it directly (it reaches them
 * inside DATABASE_URL), so the configuration code cannot name it.
 */
const imageSecrets: Record<string, string[]> = { postgres: ['POSTGRES_PASSWORD'] };

/** A loaded configuration, or why the service would refuse to start. */
function loadService(
  file: ComposeFile,
  service: NodeService,
  hostEnv: Environment,
): { config: LoadedService } | { problem: string } | undefined {
  const definition = file.services[service.name];
  if (!definition) return undefined;
  try {
    return { config: service.load(containerEnvironment(definition, hostEnv)) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problem: `${service.name} would refuse to start: ${error.message}` };
  }
}

/** Each node service's configuration; a service that would not start is a problem. */
function loadServices(file: ComposeFile, hostEnv: Environment) {
  const configs = new Map<string, LoadedService>();
  const problems: string[] = [];
  for (const service of nodeServices) {
    const loaded = loadService(file, service, hostEnv);
    if (loaded && 'config' in loaded) configs.set(service.name, loaded.config);
    if (loaded && 'problem' in loaded) problems.push(loaded.problem);
  }
  return { configs, problems };
}

/** The variables a node service's configuration reads, and which of them are secrets. */
function variablesOf(service: NodeService, env: Environment) {
  return environmentReadBy(() => service.load(env));
}

// ---------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------

/** (a) One service per subgraph, plus the gateway, the migration, Postgres and Redis. */
function missingServices(file: ComposeFile): string[] {
  return [...nodeServices.map((service) => service.name), ...backingServices]
    .filter((name) => !file.services[name])
    .map((name) => `there is no "${name}" service`);
}

/** Every node service builds the root Dockerfile into one image and runs its own command. */
function imageProblems(file: ComposeFile): string[] {
  const problems: string[] = [];
  const images = new Set<string | undefined>();
  for (const { name, command } of nodeServices) {
    const service = file.services[name];
    if (!service) continue;
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    if (build?.context !== '.' || (build.dockerfile ?? 'Dockerfile') !== 'Dockerfile') {
      problems.push(`${name} does not build the repository's Dockerfile`);
    }
    images.add(service.image);
    if (commandLine(service) !== command) {
      problems.push(`${name} runs "${commandLine(service)}" instead of "${command}"`);
    }
  }
  if (images.size !== 1 || images.has(undefined)) {
    problems.push(`node services should share one named image, not ${[...images].join(', ')}`);
  }
  return problems;
}

/** (b) Servers listen on every interface, on exactly the ports their service declares. */
function listeningProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const { configs, problems } = loadServices(file, hostEnv);
  for (const [name, config] of configs) {
    if (!config.server) continue;
    const { host, port } = config.server;
    if (host !== '0.0.0.0' && host !== '::') {
      problems.push(`${name} listens on ${host}, which other containers cannot reach`);
    }
    const declared = containerPorts(file.services[name]!);
    if (declared.length === 0) problems.push(`${name} declares no port (it listens on ${port})`);
    for (const other of declared.filter((declaredPort) => declaredPort !== port)) {
      problems.push(`${name} declares port ${other} but listens on ${port}`);
    }
  }
  return problems;
}

/** The services reach Postgres and Redis by service name, migrating the database they use. */
function backingServiceProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const { configs, problems } = loadServices(file, hostEnv);
  const postgres = containerEnvironment(file.services.postgres ?? {}, hostEnv);
  const user = postgres.POSTGRES_USER ?? 'postgres';
  const expected = {
    hostname: 'postgres',
    port: '5432',
    username: user,
    password: postgres.POSTGRES_PASSWORD,
    database: postgres.POSTGRES_DB ?? user,
  };
  const migrated = configs.get('migrate')?.database;
  for (const [name, config] of configs) {
    if (!config.database) continue;
    if (config.database.kind !== 'postgres') {
      problems.push(`${name} would use an embedded database inside its container (no DATABASE_URL)`);
      continue;
    }
    const url = new URL(config.database.url);
    const actual = {
      hostname: url.hostname,
      port: url.port || '5432',
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${name}'s DATABASE_URL does not match the postgres service's settings`);
    }
    if (name !== 'migrate' && migrated?.kind === 'postgres' && migrated.url !== config.database.url) {
      problems.push(`${name} uses another database than the one migrate prepares`);
    }
  }
  for (const service of nodeServices) {
    const definition = file.services[service.name];
    if (!definition || !configs.get(service.name)?.server) continue;
    const env = containerEnvironment(definition, hostEnv);
    if (!variablesOf(service, env).variables.has('REDIS_URL')) continue;
    if (!env.REDIS_URL) {
      problems.push(`${service.name} keeps its shared state in its own memory (no REDIS_URL)`);
    } else if (new URL(env.REDIS_URL).hostname !== 'redis') {
      problems.push(`${service.name}'s REDIS_URL does not point at the redis service`);
    }
  }
  return problems;
}

/** (c) The gateway finds each subgraph by service name, on the port it listens on, at /graphql. */
function subgraphUrlProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const { configs, problems } = loadServices(file, hostEnv);
  const gateway = configs.get('gateway');
  if (!gateway?.subgraphUrls) return problems;
  for (const name of subgraphNames) {
    const url = new URL(gateway.subgraphUrls[name]);
    const port = configs.get(name)?.server?.port;
    const actualPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (url.protocol !== 'http:' || url.hostname !== name || actualPort !== port || url.pathname !== '/graphql') {
      problems.push(
        `the gateway looks for ${name} at ${url.href}, not http://${name}:${port}/graphql`,
      );
    }
  }
  return problems;
}

/** The gateway and every subgraph share the keys that one signs and the others verify. */
function sharedSecretProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const { configs, problems } = loadServices(file, hostEnv);
  const gateway = configs.get('gateway');
  for (const name of subgraphNames) {
    const subgraph = configs.get(name);
    if (!gateway || !subgraph) continue;
    if (subgraph.signingSecret !== gateway.signingSecret) {
      problems.push(`${name} verifies claims with another secret than the gateway signs them with`);
    }
    if (subgraph.accessTokenSecret && subgraph.accessTokenSecret !== gateway.accessTokenSecret) {
      problems.push(`${name} and the gateway use different access-token secrets`);
    }
  }
  return problems;
}

/** `${NAME:?message}` and nothing else: required from the host, never written here. */
const requiredReference = /^\$\{([A-Za-z_][A-Za-z0-9_]*):\?[^}]+\}$/;

/** The secrets each service reads, by service: from its configuration code, and the images'. */
function secretsByService(file: ComposeFile, hostEnv: Environment): Map<string, Set<string>> {
  const secrets = new Map<string, Set<string>>();
  for (const service of nodeServices) {
    const definition = file.services[service.name];
    if (!definition) continue;
    secrets.set(service.name, new Set(variablesOf(service, containerEnvironment(definition, hostEnv)).secrets));
  }
  for (const [name, variables] of Object.entries(imageSecrets)) secrets.set(name, new Set(variables));
  return secrets;
}

/** Every secret any service reads, which the host must provide under the same name. */
function allSecrets(file: ComposeFile, hostEnv: Environment): Set<string> {
  return new Set([...secretsByService(file, hostEnv).values()].flatMap((secrets) => [...secrets]));
}

/**
 * (d) Every secret is taken from the host variable of the same name as `${VAR:?…}`: set to
 * nothing literal, given no default anywhere in the file, and not spelled out as the
 * password of a connection URL either.
 */
function literalSecretProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const problems: string[] = [];
  const hostSecrets = allSecrets(file, hostEnv);
  for (const [name, secrets] of secretsByService(file, hostEnv)) {
    const raw = file.services[name]?.environment ?? {};
    const values = Array.isArray(raw) ? containerEnvironment({ environment: raw }, {}) : raw;
    for (const variable of secrets) {
      if (requiredReference.exec(String(values[variable] ?? ''))?.[1] !== variable) {
        problems.push(`${name} does not take ${variable} from the host as \${${variable}:?message}`);
      }
    }
    for (const [variable, value] of Object.entries(values)) {
      const password = /^[a-z+]+:\/\/[^:/@]*:([^@]*)@/i.exec(String(value ?? ''))?.[1];
      if (password === undefined) continue;
      const reference = requiredReference.exec(password);
      if (reference) hostSecrets.add(reference[1]!);
      else problems.push(`${name}'s ${variable} holds a password that is not a \${…:?message} reference`);
    }
  }
  // Anywhere in the file, a secret's variable is required, never defaulted.
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  collect(file);
  for (const text of texts) {
    for (const [reference, braced, operator, , bare] of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = braced ?? bare;
      if (name && hostSecrets.has(name) && operator !== ':?') {
        problems.push(`${reference} does not require the secret ${name}`);
      }
    }
  }
  return problems;
}

/** The host variables the file requires (`${VAR:?…}`), each set to a realistic 40-character value. */
function hostEnvironmentFor(file: ComposeFile): Environment {
  const names = JSON.stringify(file).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):\?/g);
  return Object.fromEntries([...names].map(([, name]) => [name!, randomBytes(30).toString('base64url')]));
}

/** The URL a node healthcheck fetches, if it is `CMD node -e <script>` (the image has no curl). */
function healthcheckUrl(service: ComposeService): URL | undefined {
  const test = service.healthcheck?.test;
  if (!Array.isArray(test) || test[0] !== 'CMD' || test[1] !== 'node' || test[2] !== '-e') return undefined;
  const url = /https?:\/\/[^'"`\s)]+/.exec(test[3] ?? '')?.[0];
  return url ? new URL(url) : undefined;
}

/** (e) Every node server checks its own port's /health/ready or /health/live, with node. */
function healthcheckProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const { configs, problems } = loadServices(file, hostEnv);
  for (const [name, config] of configs) {
    if (!config.server) continue;
    const url = healthcheckUrl(file.services[name]!);
    if (!url) {
      problems.push(`${name} has no healthcheck of the form ["CMD", "node", "-e", "fetch('http://…')…"]`);
      continue;
    }
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) || Number(url.port) !== config.server.port) {
      problems.push(`${name}'s healthcheck asks ${url.host} but the service listens on port ${config.server.port}`);
    }
    if (!['/health/ready', '/health/live'].includes(url.pathname)) {
      problems.push(`${name}'s healthcheck asks ${url.pathname}, not /health/ready or /health/live`);
    }
  }
  const backingChecks: Record<string, string> = { postgres: 'pg_isready', redis: 'redis-cli' };
  for (const [name, tool] of Object.entries(backingChecks)) {
    const test = file.services[name]?.healthcheck?.test;
    if (!JSON.stringify(test ?? '').includes(tool)) problems.push(`${name} has no ${tool} healthcheck`);
  }
  // The image initialises the database with a server on its Unix socket only, then
  // restarts it: a socket check passes during that window, a TCP one does not.
  if (!/--host=|-h\b/.test(JSON.stringify(file.services.postgres?.healthcheck?.test ?? ''))) {
    problems.push('postgres is checked over its socket, which reports ready during initialisation');
  }
  return problems;
}

/** (e) Start order: Postgres, then the migration, then the subgraphs, then the gateway. */
function dependencyProblems(file: ComposeFile): string[] {
  const problems: string[] = [];
  const requireDependency = (service: string, on: string, condition: string) => {
    const actual = file.services[service] && dependencyCondition(file.services[service], on);
    if (file.services[service] && actual !== condition) {
      problems.push(`${service} should wait for ${on} with ${condition}, not ${actual ?? 'nothing'}`);
    }
  };
  requireDependency('migrate', 'postgres', 'service_healthy');
  for (const name of subgraphNames) {
    requireDependency(name, 'migrate', 'service_completed_successfully');
    requireDependency(name, 'redis', 'service_healthy');
    requireDependency('gateway', name, 'service_healthy');
  }
  requireDependency('gateway', 'redis', 'service_healthy');
  for (const [name, service] of Object.entries(file.services)) {
    for (const on of Object.keys(Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {}))) {
      const condition = dependencyCondition(service, on);
      const target = file.services[on];
      if (condition === 'service_healthy' && (!target?.healthcheck?.test || target.healthcheck.disable)) {
        problems.push(`${name} waits for ${on} to be healthy, but ${on} has no healthcheck`);
      }
      if (condition === 'service_completed_successfully' && ['always', 'unless-stopped'].includes(target?.restart ?? '')) {
        problems.push(`${name} waits for ${on} to complete, but ${on} restarts whenever it exits`);
      }
    }
  }
  return problems;
}

/** (f) Every variable set for a node service is one its configuration reads. */
function unknownVariableProblems(file: ComposeFile, hostEnv: Environment): string[] {
  const problems: string[] = [];
  for (const service of nodeServices) {
    const definition = file.services[service.name];
    if (!definition) continue;
    const env = containerEnvironment(definition, hostEnv);
    const { variables } = variablesOf(service, env);
    for (const variable of Object.keys(env).filter((name) => !variables.has(name))) {
      problems.push(`${service.name} sets ${variable}, which its configuration never reads`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------

const composeFile = readComposeFile();
const hostEnv = hostEnvironmentFor(composeFile);
/** The file as `docker compose up` would see it with those host variables. */
const resolved = interpolateFile(composeFile, hostEnv);

/** Breaks a copy of the file, interpolated as compose would. */
function broken(change: (file: ComposeFile) => void): ComposeFile {
  const file = copyOf(resolved);
  change(file);
  return file;
}

describe('the services in compose.yaml', () => {
  test('include one per subgraph in the catalog, plus the gateway, the migration, Postgres and Redis', () => {
    expect(subgraphNames.length).toBeGreaterThan(0);
    expect(missingServices(resolved)).toEqual([]);
  });

  test("all run the root Dockerfile's image, each with its own package's script", () => {
    expect(imageProblems(resolved)).toEqual([]);
  });

  test('are reported missing when a subgraph has no service', () => {
    const file = broken((copy) => delete copy.services.identity);
    expect(missingServices(file)).toEqual(['there is no "identity" service']);
  });

  test('are reported when one runs another package', () => {
    const file = broken((copy) => (copy.services.identity!.command = 'node --import tsx gateway/src/main.ts'));
    expect(imageProblems(file)).toEqual([
      'identity runs "node --import tsx gateway/src/main.ts" instead of "node --import tsx subgraphs/identity/src/main.ts"',
    ]);
  });
});

describe('each node service, configured by its real config loader', () => {
  test('starts in production mode with the environment the file gives it', () => {
    const { configs, problems } = loadServices(resolved, hostEnv);
    expect(problems).toEqual([]);
    expect([...configs.keys()].sort()).toEqual(nodeServices.map((service) => service.name).sort());
    for (const service of nodeServices) {
      expect(containerEnvironment(resolved.services[service.name]!, hostEnv).NODE_ENV).toBe('production');
    }
  });

  test('listens on all interfaces, on exactly the port its service exposes', () => {
    expect(listeningProblems(resolved, hostEnv)).toEqual([]);
    for (const name of subgraphNames) {
      // Set explicitly, so the file and the catalog's default cannot silently differ.
      expect(resolved.services[name]!.environment).toHaveProperty(subgraphPortVariable(name));
    }
  });

  test('reaches Postgres and Redis by service name, using the database the migration prepares', () => {
    expect(backingServiceProblems(resolved, hostEnv)).toEqual([]);
  });

  test('shares the signing and access-token secrets between the gateway and the subgraphs', () => {
    expect(sharedSecretProblems(resolved, hostEnv)).toEqual([]);
  });

  test('is reported when it would listen on a port other than the one its service exposes', () => {
    const file = broken((copy) => ((copy.services.identity!.environment as Record<string, string>).IDENTITY_PORT = '4002'));
    expect(listeningProblems(file, hostEnv)).toEqual(['identity declares port 4001 but listens on 4002']);
    expect(healthcheckProblems(file, hostEnv)).toEqual([
      "identity's healthcheck asks 127.0.0.1:4001 but the service listens on port 4002",
    ]);
    expect(subgraphUrlProblems(file, hostEnv)).toEqual([
      'the gateway looks for identity at http://identity:4001/graphql, not http://identity:4002/graphql',
    ]);
  });

  test('is reported when it would listen on loopback only, or not start at all', () => {
    const file = broken((copy) => {
      delete (copy.services.identity!.environment as Record<string, string>).HOST;
      delete (copy.services.gateway!.environment as Record<string, string>).AUTH_JWT_SECRET;
    });
    expect(listeningProblems(file, hostEnv)).toEqual([
      expect.stringMatching(/^gateway would refuse to start: .*AUTH_JWT_SECRET: is required in production/s),
      'identity listens on 127.0.0.1, which other containers cannot reach',
    ]);
  });

  test('is reported when it would lack its database or use a Redis of its own', () => {
    const file = broken((copy) => {
      delete (copy.services.identity!.environment as Record<string, string>).DATABASE_URL;
      (copy.services.gateway!.environment as Record<string, string>).REDIS_URL = 'redis://127.0.0.1:6379';
    });
    expect(backingServiceProblems(file, hostEnv)).toEqual([
      'identity would refuse to start: Invalid configuration:\n  DATABASE_URL: is required in production',
      "gateway's REDIS_URL does not point at the redis service",
    ]);
  });

  test('is reported when the migration prepares another database than the subgraphs use', () => {
    const file = broken((copy) => {
      const env = copy.services.migrate!.environment as Record<string, string>;
      env.DATABASE_URL = env.DATABASE_URL!.replace(/\/tokennexus$/, '/other');
    });
    expect(backingServiceProblems(file, hostEnv)).toEqual([
      "migrate's DATABASE_URL does not match the postgres service's settings",
      'identity uses another database than the one migrate prepares',
      'audit uses another database than the one migrate prepares',
      'cms uses another database than the one migrate prepares',
      'tokens uses another database than the one migrate prepares',
      'ai uses another database than the one migrate prepares',
      'integrations uses another database than the one migrate prepares',
      'analytics uses another database than the one migrate prepares',
      'workflows uses another database than the one migrate prepares',
      'media uses another database than the one migrate prepares',
    ]);
  });

  test('is reported when the gateway and a subgraph disagree on a secret', () => {
    const file = broken(
      (copy) =>
        ((copy.services.identity!.environment as Record<string, string>).GATEWAY_SIGNING_SECRET =
          randomBytes(30).toString('base64url')),
    );
    expect(sharedSecretProblems(file, hostEnv)).toEqual([
      'identity verifies claims with another secret than the gateway signs them with',
    ]);
  });
});

describe('the gateway', () => {
  test("finds every subgraph by its service name, on that subgraph's configured port, at /graphql", () => {
    expect(subgraphUrlProblems(resolved, hostEnv)).toEqual([]);
  });

  test('is reported when it would look for a subgraph on another host', () => {
    const file = broken(
      (copy) => ((copy.services.gateway!.environment as Record<string, string>).IDENTITY_URL = 'http://localhost:4001/graphql'),
    );
    expect(subgraphUrlProblems(file, hostEnv)).toEqual([
      'the gateway looks for identity at http://localhost:4001/graphql, not http://identity:4001/graphql',
    ]);
  });
});

describe('the secrets', () => {
  test('are found in the configuration code, not in a list kept here', () => {
    const secrets = secretsByService(composeFile, hostEnv);
    expect([...secrets.get('gateway')!]).toEqual(
      expect.arrayContaining(['GATEWAY_SIGNING_SECRET', 'AUTH_JWT_SECRET']),
    );
    expect(secrets.get('migrate')).toEqual(new Set());
  });

  test('are each required from the host environment and never written in the file', () => {
    expect(literalSecretProblems(composeFile, hostEnv)).toEqual([]);
  });

  test('make compose refuse to start when any one of them is missing from the host', () => {
    for (const variable of allSecrets(composeFile, hostEnv)) {
      const { [variable]: _removed, ...withoutIt } = hostEnv;
      expect(() => interpolateFile(composeFile, withoutIt)).toThrow(
        expect.objectContaining({ variable }) as Error,
      );
      expect(() => interpolateFile(composeFile, { ...withoutIt, [variable]: '' })).toThrow(MissingVariableError);
    }
  });

  test('are reported when one is written literally, given a default, or put in a URL', () => {
    const file = copyOf(composeFile);
    const gatewayEnv = file.services.gateway!.environment as Record<string, string>;
    gatewayEnv.AUTH_JWT_SECRET = 'a literal secret that is long enough to pass';
    const postgresEnv = file.services.postgres!.environment as Record<string, string>;
    postgresEnv.POSTGRES_PASSWORD = '${POSTGRES_PASSWORD:-changeme}';
    const identityEnv = file.services.identity!.environment as Record<string, string>;
    identityEnv.DATABASE_URL = 'postgresql://tokennexus:hunter2@postgres:5432/tokennexus';
    expect(literalSecretProblems(file, hostEnv)).toEqual([
      "identity's DATABASE_URL holds a password that is not a ${…:?message} reference",
      'gateway does not take AUTH_JWT_SECRET from the host as ${AUTH_JWT_SECRET:?message}',
      'postgres does not take POSTGRES_PASSWORD from the host as ${POSTGRES_PASSWORD:?message}',
      '${POSTGRES_PASSWORD:-changeme} does not require the secret POSTGRES_PASSWORD',
    ]);
  });
});

describe('the healthchecks and start order', () => {
  test('check each node server on its own port, with node, at /health/ready or /health/live', () => {
    expect(healthcheckProblems(resolved, hostEnv)).toEqual([]);
  });

  test('start Postgres, then the migration, then the subgraphs, then the gateway', () => {
    expect(dependencyProblems(resolved)).toEqual([]);
  });

  test('are reported when a service would start before what it needs is ready', () => {
    const file = broken((copy) => {
      copy.services.gateway!.depends_on = ['identity', 'audit', 'cms', 'tokens', 'ai', 'integrations', 'analytics', 'workflows', 'media', 'redis'];
      copy.services.identity!.depends_on = { migrate: { condition: 'service_started' }, redis: { condition: 'service_healthy' } };
      delete copy.services.redis!.healthcheck;
    });
    expect(dependencyProblems(file)).toEqual([
      'identity should wait for migrate with service_completed_successfully, not service_started',
      'gateway should wait for identity with service_healthy, not service_started',
      'gateway should wait for audit with service_healthy, not service_started',
      'gateway should wait for cms with service_healthy, not service_started',
      'gateway should wait for tokens with service_healthy, not service_started',
      'gateway should wait for ai with service_healthy, not service_started',
      'gateway should wait for integrations with service_healthy, not service_started',
      'gateway should wait for analytics with service_healthy, not service_started',
      'gateway should wait for workflows with service_healthy, not service_started',
      'gateway should wait for media with service_healthy, not service_started',
      'gateway should wait for redis with service_healthy, not service_started',
      'identity waits for redis to be healthy, but redis has no healthcheck',
      'audit waits for redis to be healthy, but redis has no healthcheck',
      'cms waits for redis to be healthy, but redis has no healthcheck',
      'tokens waits for redis to be healthy, but redis has no healthcheck',
      'ai waits for redis to be healthy, but redis has no healthcheck',
      'integrations waits for redis to be healthy, but redis has no healthcheck',
      'analytics waits for redis to be healthy, but redis has no healthcheck',
      'workflows waits for redis to be healthy, but redis has no healthcheck',
      'media waits for redis to be healthy, but redis has no healthcheck',
    ]);
    const restarting = broken((copy) => (copy.services.migrate!.restart = 'unless-stopped'));
    expect(dependencyProblems(restarting)).toEqual([
      'identity waits for migrate to complete, but migrate restarts whenever it exits',
      'audit waits for migrate to complete, but migrate restarts whenever it exits',
      'cms waits for migrate to complete, but migrate restarts whenever it exits',
      'tokens waits for migrate to complete, but migrate restarts whenever it exits',
      'ai waits for migrate to complete, but migrate restarts whenever it exits',
      'integrations waits for migrate to complete, but migrate restarts whenever it exits',
      'analytics waits for migrate to complete, but migrate restarts whenever it exits',
      'workflows waits for migrate to complete, but migrate restarts whenever it exits',
      'media waits for migrate to complete, but migrate restarts whenever it exits',
    ]);
  });

  test('are reported when a healthcheck uses curl, asks another path or trusts the socket', () => {
    const file = broken((copy) => {
      copy.services.identity!.healthcheck = { test: ['CMD', 'curl', '-f', 'http://127.0.0.1:4001/health/ready'] };
      const gatewayTest = copy.services.gateway!.healthcheck!.test as string[];
      gatewayTest[3] = gatewayTest[3]!.replace('/health/ready', '/graphql');
      copy.services.postgres!.healthcheck = { test: ['CMD', 'pg_isready', '--username=tokennexus'] };
    });
    expect(healthcheckProblems(file, hostEnv)).toEqual([
      'identity has no healthcheck of the form ["CMD", "node", "-e", "fetch(\'http://…\')…"]',
      "gateway's healthcheck asks /graphql, not /health/ready or /health/live",
      'postgres is checked over its socket, which reports ready during initialisation',
    ]);
  });

  describe('run with the same Node.js as the image', () => {
    let status = 200;
    const server = createServer((_request, response) => response.writeHead(status).end());
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Runs a healthcheck's script against the stand-in server; resolves to its exit code. */
    function runHealthcheck(name: string, againstPort: number): Promise<number | null> {
      const test = resolved.services[name]!.healthcheck!.test as string[];
      const url = healthcheckUrl(resolved.services[name]!)!;
      const script = test[3]!.replace(url.origin, `http://127.0.0.1:${againstPort}`);
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code));
      });
    }

    const servers = nodeServices.filter((service) => healthcheckUrl(resolved.services[service.name] ?? {}));

    test('exit 0 when the service answers 200, and 1 when it answers 503 or is not listening', async () => {
      expect(servers.map((service) => service.name).sort()).toEqual([...subgraphNames, 'gateway'].sort());
      // Each phase runs every service's script at once: one node process each, ten services.
      const exitCodes = (against: number) => Promise.all(servers.map(async ({ name }) => [name, await runHealthcheck(name, against)]));
      const every = (code: number) => servers.map(({ name }) => [name, code]);
      status = 200;
      expect(await exitCodes(port), 'ready').toEqual(every(0));
      status = 503;
      expect(await exitCodes(port), 'not ready').toEqual(every(1));
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      expect(await exitCodes(closedPort), 'down').toEqual(every(1));
    });
  });
});

describe('the variables set in the file', () => {
  test("are all read by the service's configuration (names taken from its zod shapes)", () => {
    expect(unknownVariableProblems(resolved, hostEnv)).toEqual([]);
  });

  test('are reported when misspelt or given to a service that ignores them', () => {
    const file = broken((copy) => {
      (copy.services.identity!.environment as Record<string, string>).IDENTITY_PROT = '4001';
      (copy.services.migrate!.environment as Record<string, string>).LOG_LEVEL = 'debug';
    });
    expect(unknownVariableProblems(file, hostEnv)).toEqual([
      'migrate sets LOG_LEVEL, which its configuration never reads',
      'identity sets IDENTITY_PROT, which its configuration never reads',
    ]);
  });
});

describe('the image', () => {
  const dockerfile = readRepositoryFile('Dockerfile');

  test('installs the pnpm the workspace declares, with the dev dependencies tsx needs', () => {
    const declared = rootManifest.packageManager.replace(/^pnpm@/, '');
    expect(dockerfile).toContain(`pnpm@${declared}`);
    expect(dockerfile).toMatch(/pnpm install [^\n]*--frozen-lockfile[^\n]*--prod=false/);
  });

  test('starts from a Node.js release the workspace supports and runs as the node user', () => {
    const [, major, minor] = /^FROM node:(\d+)\.(\d+)/m.exec(dockerfile) ?? [];
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)/.exec(rootManifest.engines.node) ?? [];
    expect(Number(major)).toBe(Number(wantMajor));
    expect(Number(minor)).toBeGreaterThanOrEqual(Number(wantMinor));
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  test('leaves host dependencies and secrets out of the build context', () => {
    const ignored = readRepositoryFile('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.env', '.data', '.git']));
  });
});
