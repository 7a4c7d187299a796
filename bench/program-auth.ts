/**
 * Measures what authenticating by API key costs at the gateway compared with a user's
 * access token. It runs the real graph on a fresh Postgres database, signs a user up,
 * creates an organization and an API key (scope `organization:read`) for it, then sends
 * the same query, `organization(id:) { id name }`,
 *
 * (a) with the user's access token: the gateway verifies the JWT itself and looks the
 *     session up in its list of ended ones (in memory here, as the graph has no Redis);
 * (b) with the API key (`Bearer tnx_…`): the gateway asks the integrations subgraph on
 *     every request (a signed `POST /internal/credentials/verify`, which looks the key up
 *     by its SHA-256 and writes `last_used_at` at most once a minute), nothing cached.
 *
 * The two differ past the gateway too: identity checks a user's membership of the
 * organization, and a key's organization from its claims. SQL/request shows both.
 *
 * Each is timed one request at a time and then `BENCH_CONCURRENCY` at once, in alternating
 * slices (ABBA…) so that both see the same drift, after an unmeasured warm-up of each.
 * Everything runs in this one process, load generator included, so compare the ratios of
 * one run rather than absolute numbers across machines. `pnpm bench:program-auth`; tune with:
 *
 * - BENCH_REQUESTS: measured requests per credential and concurrency (default 2000)
 * - BENCH_WARMUP_REQUESTS: unmeasured requests per credential first (default 300)
 * - BENCH_CONCURRENCY: requests in flight in the concurrent run (default 8)
 * - BENCH_SLICES: slices each measurement is cut into (default 8)
 * - BENCH_POSTGRES_URL: any database on the Postgres server to use
 *   (default postgresql://postgres@127.0.0.1:5432/postgres); the run creates its own
 *   database there and drops it afterwards.
 */
import { cpus } from 'node:os';
import { loadEnv, positiveInt, url } from '@token-nexus/shared';
import { GraphQLClient, graphQLBody } from './kit/client.ts';
import { createScratchDatabase } from './kit/database.ts';
import { settle, startBenchGraph, type BenchGraph } from './kit/graph.ts';
import type { LoadTarget } from './kit/load.ts';
import {
  KeepAliveClient,
  combineTimings,
  summariseTimings,
  timeRequests,
  type RequestTimings,
  type TimingSummary,
} from './kit/request-timings.ts';
import { createOrganization, signUp, type SeededUser } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';

const organizationQuery = 'query ($id: ID!) { organization(id: $id) { id name } }';

const createApiKeyMutation = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id } }
}`;

interface Settings {
  adminUrl: string;
  requests: number;
  warmupRequests: number;
  concurrency: number;
  slices: number;
}

/** One credential's measurement at one concurrency. */
interface Measurement {
  target: LoadTarget;
  timings: RequestTimings;
  statementsPerRequest: number;
}

/** Both credentials at one concurrency: `user` first, `key` second. */
interface Comparison {
  concurrency: number;
  user: Measurement;
  key: Measurement;
}

async function main(): Promise<void> {
  const settings = readSettings();
  // Ctrl-C stops the run and still closes the graph and drops the database. `on`, not
  // `once`: under pnpm the process can get the same Ctrl-C twice (from the terminal and
  // relayed by tsx), and an unhandled second one would exit before cleaning up.
  const interrupt = new AbortController();
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));

  const database = await createScratchDatabase(settings.adminUrl);
  let graph: BenchGraph | undefined;
  const client = new KeepAliveClient(settings.concurrency);
  try {
    progress(`database ${new URL(database.url).pathname.slice(1)} created; starting the graph…`);
    graph = await startBenchGraph(database.url);
    const targets = await seedTargets(graph);
    interrupt.signal.throwIfAborted();
    await verifyTargets(graph, client, targets);
    for (const target of targets) {
      progress(`${target.name}: warming up with ${settings.warmupRequests} requests…`);
      await timeRequests(client, target, {
        count: settings.warmupRequests,
        concurrency: settings.concurrency,
        signal: interrupt.signal,
      });
    }
    await settle(graph);
    const comparisons: Comparison[] = [];
    for (const concurrency of [1, settings.concurrency]) {
      comparisons.push(await measureAlternating(graph, client, targets, concurrency, settings, interrupt.signal));
    }
    console.log(report(comparisons, settings));
    assertNoFailures(comparisons);
  } finally {
    client.close();
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
    BENCH_REQUESTS: positiveInt(2_000),
    BENCH_WARMUP_REQUESTS: positiveInt(300),
    BENCH_CONCURRENCY: positiveInt(8),
    BENCH_SLICES: positiveInt(8),
  }));
  return {
    adminUrl: vars.BENCH_POSTGRES_URL,
    requests: vars.BENCH_REQUESTS,
    warmupRequests: vars.BENCH_WARMUP_REQUESTS,
    concurrency: vars.BENCH_CONCURRENCY,
    slices: vars.BENCH_SLICES,
  };
}

/**
 * Signs a user up, creates their organization and an API key for it through the API, and
 * returns the query as each credential sends it: the user's target first, the key's second.
 */
async function seedTargets(graph: BenchGraph): Promise<[LoadTarget, LoadTarget]> {
  const gateway = new GraphQLClient(graph.gateway.url);
  const owner: SeededUser = await signUp(gateway, 'key-owner', 'Kim Owner');
  const organization = await createOrganization(owner, 'Program Auth Bench', 'program-auth-bench');
  const { createApiKey } = await owner.client.data<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    createApiKeyMutation,
    { input: { orgId: organization.id, name: 'bench key', scopes: ['organization:read'] } },
  );
  progress(`seeded a user, organization ${organization.slug} and API key ${createApiKey.apiKey.id}`);
  const body = graphQLBody(organizationQuery, { id: organization.id });
  // The same headers object for every request: both targets cost the load generator alike.
  const target = (name: string, bearer: string): LoadTarget => {
    const headers = { authorization: `Bearer ${bearer}` };
    return { name, url: graph.gateway.url, body, headers: () => headers };
  };
  return [target('user access token', owner.client.token!), target('API key', createApiKey.secret)];
}

/**
 * Sends the query once with each credential and fails unless both get the organization,
 * the same answer: a benchmark of UNAUTHENTICATED or FORBIDDEN answers would measure
 * something else.
 */
async function verifyTargets(
  graph: BenchGraph,
  client: KeepAliveClient,
  targets: readonly LoadTarget[],
): Promise<void> {
  const answers = new Set<string>();
  for (const target of targets) {
    const before = graph.statementCount();
    const response = await client.post(target.url, target.body, target.headers());
    await settle(graph);
    const statements = graph.statementCount() - before;
    const parsed = JSON.parse(response.body) as { data?: { organization?: { id: string } | null }; errors?: unknown };
    if (response.status !== 200 || parsed.errors || !parsed.data?.organization) {
      throw new Error(`${target.name} did not get the organization (status ${response.status}): ${response.body}`);
    }
    answers.add(JSON.stringify(parsed.data));
    progress(`verified ${target.name}: ${response.body.trim()} (${statements} SQL statements, first request)`);
  }
  if (answers.size !== 1) throw new Error('the credentials got different answers to the same query');
}

/**
 * Times both targets at `concurrency` in `settings.slices` slices each, in the order ABBA
 * ABBA…: each goes first as often as second, and both see the same drift. Lets the graph
 * settle between slices, so that the SQL statements counted for a slice are its own.
 */
async function measureAlternating(
  graph: BenchGraph,
  client: KeepAliveClient,
  [user, key]: readonly [LoadTarget, LoadTarget],
  concurrency: number,
  settings: Settings,
  signal: AbortSignal,
): Promise<Comparison> {
  const targets = [user, key];
  progress(
    `measuring ${settings.requests} requests per credential, ${concurrency} at a time, ` +
      `in ${settings.slices} alternating slices…`,
  );
  const slices = targets.map((): RequestTimings[] => []);
  const statements = targets.map(() => 0);
  for (let slice = 0; slice < settings.slices; slice++) {
    // Spread the requests over the slices, the first ones taking one more when uneven.
    const count =
      Math.floor(settings.requests / settings.slices) + (slice < settings.requests % settings.slices ? 1 : 0);
    if (count === 0) continue;
    const order = slice % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      signal.throwIfAborted();
      const before = graph.statementCount();
      slices[index]!.push(await timeRequests(client, targets[index]!, { count, concurrency, signal }));
      await settle(graph);
      statements[index]! += graph.statementCount() - before;
    }
  }
  const measurement = (index: number): Measurement => {
    const timings = combineTimings(slices[index]!);
    return { target: targets[index]!, timings, statementsPerRequest: statements[index]! / timings.responses };
  };
  return { concurrency, user: measurement(0), key: measurement(1) };
}

function report(comparisons: readonly Comparison[], settings: Settings): string {
  return [
    '',
    `Program authentication: organization(id:) { id name } through the gateway; Node ${process.version}, ` +
      `${cpus().length} CPUs`,
    `${settings.requests} requests per credential and concurrency, in ${settings.slices} alternating ` +
      `slices, after ${settings.warmupRequests} unmeasured each`,
    '',
    formatTable(
      [
        { title: 'in flight', align: 'right' },
        { title: 'credential' },
        { title: 'req/s', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p95 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'responses', align: 'right' },
        { title: 'wrong answers', align: 'right' },
        { title: 'SQL/request', align: 'right' },
      ],
      comparisons.flatMap(({ concurrency, user, key }) =>
        [user, key].map(({ target, timings, statementsPerRequest }) => {
          const summary = summariseTimings(timings);
          return [
            String(concurrency),
            target.name,
            fixed(summary.requestsPerSecond, 1),
            fixed(summary.p50Ms, 2),
            fixed(summary.p95Ms, 2),
            fixed(summary.p99Ms, 2),
            String(timings.responses),
            String(timings.wrongAnswers),
            fixed(statementsPerRequest, 2),
          ];
        }),
      ),
    ),
    '',
    ratioTable(comparisons),
    '',
  ].join('\n');
}

const ratioFigures: [string, (summary: TimingSummary) => number][] = [
  ['p50', (summary) => summary.p50Ms],
  ['p95', (summary) => summary.p95Ms],
  ['p99', (summary) => summary.p99Ms],
  ['req/s', (summary) => summary.requestsPerSecond],
];

/** The API key's figures over the user's: latency above 1.00× and req/s below it are its cost. */
function ratioTable(comparisons: readonly Comparison[]): string {
  return formatTable(
    [
      { title: 'API key ÷ user token' },
      ...comparisons.map(({ concurrency }) => ({ title: `${concurrency} in flight`, align: 'right' as const })),
    ],
    ratioFigures.map(([name, figure]) => [
      name,
      ...comparisons.map(
        ({ user, key }) =>
          `${fixed(figure(summariseTimings(key.timings)) / figure(summariseTimings(user.timings)), 2)}×`,
      ),
    ]),
  );
}

/** Results that include failed requests are not comparable: say so with the exit code. */
function assertNoFailures(comparisons: readonly Comparison[]): void {
  const failed = comparisons.flatMap(({ concurrency, user, key }) =>
    [user, key]
      .filter(({ timings }) => timings.wrongAnswers > 0)
      .map(({ target, timings }) => `${target.name} (${concurrency} in flight): ${timings.wrongAnswers}`),
  );
  if (failed.length > 0) throw new Error(`requests failed or were answered wrongly: ${failed.join(', ')}`);
}

runBenchmark(main);
