/**
 * Benchmarks the query a dashboard sends on every page load: the viewer, their
 * organizations and each organization's first page of members. It runs the real graph on
 * a fresh Postgres database, seeds it through the public API, then loads the same query
 * (a) through the gateway and (b) straight to the identity subgraph, signed as the gateway
 * would sign it, and prints throughput, latency, SQL statements per request and the
 * gateway's overhead.
 *
 * Everything runs in this one process, load generator included (as `pnpm start` runs the
 * graph), so compare runs made on the same, otherwise idle machine rather than absolute
 * numbers across machines. `pnpm bench`; tune with:
 *
 * - BENCH_DURATION_SECONDS: length of each measured run (default 10)
 * - BENCH_WARMUP_SECONDS: unmeasured load before each run (default 2)
 * - BENCH_CONNECTIONS: concurrent keep-alive connections (default 10)
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 */
import { cpus } from 'node:os';
import { loadEnv, positiveInt, url } from '@token-nexus/shared';
import { GraphQLClient, graphQLBody, postGraphQL, type GraphQLResponse } from './kit/client.ts';
import { createScratchDatabase } from './kit/database.ts';
import { settle, startBenchGraph, type BenchGraph } from './kit/graph.ts';
import { runLoad, type LoadResult, type LoadTarget } from './kit/load.ts';
import { seedOrganizations, type SeededUser } from './kit/seed.ts';
import { subgraphRequestHeaders } from './kit/signing.ts';
import { fixed, formatTable } from './kit/table.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

const dashboardQuery = `query Dashboard {
  me {
    id
    displayName
    memberships {
      role
      organization {
        id
        name
        slug
        members(first: 20) {
          totalCount
          edges { node { role user { id displayName email } } }
        }
      }
    }
  }
}`;

interface DashboardData {
  me: {
    id: string;
    memberships: {
      organization: { slug: string; members: { totalCount: number; edges: unknown[] } };
    }[];
  } | null;
}

/** What the seed creates, and so what every answer must contain. */
const seedCounts = { organizations: 10, membersPerOrganization: 20 };

interface Settings {
  adminUrl: string;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
}

interface Measurement {
  target: LoadTarget;
  load: LoadResult;
  statementsPerRequest: number;
}

/** The query measured through the gateway and straight at the subgraph. */
interface Comparison {
  gateway: Measurement;
  direct: Measurement;
}

async function main(): Promise<void> {
  const settings = readSettings();
  // Ctrl-C stops the load early and still closes the graph and drops the database. `on`,
  // not `once`: under `pnpm bench` the process can get the same Ctrl-C twice (from the
  // terminal and relayed by tsx), and an unhandled second one would exit before cleaning up.
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));

  const database = await createScratchDatabase(settings.adminUrl);
  let graph: BenchGraph | undefined;
  try {
    progress(`database ${new URL(database.url).pathname.slice(1)} created; starting the graph…`);
    graph = await startBenchGraph(database.url);
    const viewer = await seed(graph);
    interrupt.signal.throwIfAborted();
    const targets = dashboardTargets(graph, viewer);
    await verifyTargets(graph, [targets.gateway, targets.direct]);
    const gateway = await measure(graph, targets.gateway, settings, interrupt.signal);
    interrupt.signal.throwIfAborted();
    const direct = await measure(graph, targets.direct, settings, interrupt.signal);
    interrupt.signal.throwIfAborted();
    console.log(report({ gateway, direct }, settings));
    assertNoFailures([gateway, direct]);
  } finally {
    if (graph) {
      // Let requests still in flight (after an interrupted or failed run) finish first.
      await settle(graph);
      await graph.close();
    }
    await database.drop();
    progress('graph closed, database dropped');
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_POSTGRES_URL: url(['postgres:', 'postgresql:'], 'must be a postgres:// URL').default(
      'postgresql://postgres@127.0.0.1:5432/postgres',
    ),
    BENCH_DURATION_SECONDS: positiveInt(10),
    BENCH_WARMUP_SECONDS: positiveInt(2),
    BENCH_CONNECTIONS: positiveInt(10),
  }));
  return {
    adminUrl: vars.BENCH_POSTGRES_URL,
    durationSeconds: vars.BENCH_DURATION_SECONDS,
    warmupSeconds: vars.BENCH_WARMUP_SECONDS,
    connections: vars.BENCH_CONNECTIONS,
  };
}

async function seed(graph: BenchGraph): Promise<SeededUser> {
  const { organizations, membersPerOrganization } = seedCounts;
  progress(`seeding ${organizations} organizations × ${membersPerOrganization} members through the API…`);
  const startedAt = performance.now();
  const { viewer } = await seedOrganizations(new GraphQLClient(graph.gateway.url), seedCounts);
  progress(`seeded in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return viewer;
}

/** The same query, as a client sends it to the gateway and as the gateway sends it to identity. */
function dashboardTargets(
  graph: BenchGraph,
  viewer: SeededUser,
): { gateway: LoadTarget; direct: LoadTarget } {
  const body = graphQLBody(dashboardQuery);
  return {
    gateway: { name: 'gateway', url: graph.gateway.url, body, headers: () => viewer.client.headers() },
    direct: {
      name: 'identity (direct)',
      url: graph.subgraphs.identity.url,
      body,
      headers: () =>
        subgraphRequestHeaders(graph.signingSecret, { type: 'user', userId: viewer.id }, body),
    },
  };
}

/**
 * Sends the query once to each target and fails unless each answers in full, and both
 * alike: a benchmark of error responses would measure nothing useful.
 */
async function verifyTargets(graph: BenchGraph, targets: readonly LoadTarget[]): Promise<void> {
  const answers: string[] = [];
  for (const target of targets) {
    const before = graph.statementCount();
    const response = await postGraphQL<DashboardData>(target.url, target.body, target.headers());
    const statements = graph.statementCount() - before;
    assertFullDashboard(target.name, response);
    answers.push(JSON.stringify(response.data));
    progress(`verified ${target.name}: full answer, ${statements} SQL statements for one request`);
  }
  if (new Set(answers).size !== 1) {
    throw new Error('the targets answered the same query differently');
  }
}

function assertFullDashboard(name: string, response: GraphQLResponse<DashboardData>): void {
  const fail = (problem: string): never => {
    throw new Error(
      `${name} did not answer the dashboard query in full: ${problem}\n${JSON.stringify(response)}`,
    );
  };
  if (response.status !== 200) fail(`status ${response.status}`);
  if (response.errors?.length) fail('the response has errors');
  const memberships = response.data?.me?.memberships ?? fail('no `me`');
  if (memberships.length !== seedCounts.organizations) {
    fail(`${memberships.length} memberships, expected ${seedCounts.organizations}`);
  }
  for (const { organization } of memberships) {
    const { totalCount, edges } = organization.members;
    if (totalCount !== seedCounts.membersPerOrganization || edges.length !== totalCount) {
      fail(`${organization.slug} has ${edges.length} of ${totalCount} members`);
    }
  }
}

/** A warm-up run, then the measured run, counting the SQL statements its requests sent. */
async function measure(
  graph: BenchGraph,
  target: LoadTarget,
  settings: Settings,
  signal: AbortSignal,
): Promise<Measurement> {
  const { connections } = settings;
  progress(`${target.name}: warming up for ${settings.warmupSeconds} s…`);
  await runLoad(target, { durationSeconds: settings.warmupSeconds, connections, signal });
  // Requests the warm-up left in flight would otherwise add their statements to the run.
  await settle(graph);
  progress(`${target.name}: measuring for ${settings.durationSeconds} s with ${connections} connections…`);
  const before = graph.statementCount();
  const load = await runLoad(target, { durationSeconds: settings.durationSeconds, connections, signal });
  // Dividing by completed requests right away would count part of the statements of the
  // requests still in flight (up to one per connection) but none of their responses, which
  // inflates short runs noticeably. Instead let those requests finish, and divide by all
  // requests sent: the server runs every one of them to the end.
  await settle(graph);
  const statements = graph.statementCount() - before;
  return { target, load, statementsPerRequest: statements / load.sent };
}

function report(comparison: Comparison, settings: Settings): string {
  const { organizations, membersPerOrganization } = seedCounts;
  const results = formatTable(
    [
      { title: 'target' },
      { title: 'req/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p95 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'responses', align: 'right' },
      { title: 'non-2xx', align: 'right' },
      { title: 'errors', align: 'right' },
      { title: 'GraphQL errors', align: 'right' },
      { title: 'SQL/request', align: 'right' },
    ],
    [comparison.gateway, comparison.direct].map(({ target, load, statementsPerRequest }) => [
      target.name,
      fixed(load.requestsPerSecond, 1),
      fixed(load.latencyMs.p50, 2),
      fixed(load.latencyMs.p95, 2),
      fixed(load.latencyMs.p99, 2),
      String(load.completed),
      String(load.non2xx),
      String(load.errors),
      String(load.wrongAnswers),
      fixed(statementsPerRequest, 2),
    ]),
  );
  return [
    '',
    `Dashboard query: ${organizations} organizations × ${membersPerOrganization} members`,
    `${settings.connections} connections, ${settings.durationSeconds} s per target after a ` +
      `${settings.warmupSeconds} s warm-up; Node ${process.version}, ${cpus().length} CPUs`,
    '',
    results,
    '',
    overhead(comparison),
    '',
  ].join('\n');
}

/** How much the gateway costs over calling the subgraph directly, as ratios (1.00× = free). */
function overhead({ gateway: { load: gateway }, direct: { load: direct } }: Comparison): string {
  return formatTable(
    [{ title: 'gateway overhead' }, { title: 'ratio', align: 'right' }],
    [
      ['direct req/s ÷ gateway req/s', `${fixed(direct.requestsPerSecond / gateway.requestsPerSecond, 2)}×`],
      ['gateway p50 ÷ direct p50', `${fixed(gateway.latencyMs.p50 / direct.latencyMs.p50, 2)}×`],
      ['gateway p99 ÷ direct p99', `${fixed(gateway.latencyMs.p99 / direct.latencyMs.p99, 2)}×`],
    ],
  );
}

/** Results that include failed requests are not comparable: say so with the exit code. */
function assertNoFailures(measurements: readonly Measurement[]): void {
  const failed = measurements.filter(
    ({ load }) =>
      load.non2xx > 0 || load.errors > 0 || load.wrongAnswers > 0 || load.completed === 0,
  );
  if (failed.length > 0) {
    const names = failed.map((measurement) => measurement.target.name).join(', ');
    throw new Error(`requests failed during the run against ${names}`);
  }
}

runBenchmark(main);
