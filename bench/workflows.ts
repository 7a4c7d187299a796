/**
 * `pnpm bench:workflows`: what the workflow engine sustains on this machine. Each setup is
 * a graph of its own, started as `pnpm start` starts it (its own process, LOG_LEVEL=info),
 * on a database of its own:
 *
 * - `bullmq`: NODE_ENV=production on Postgres 15 (fsync on) and Redis, started for the run;
 * - `embedded`: `pnpm start` with nothing configured: PGlite in a folder of the run, no
 *   Redis, so the step jobs run on the database's own worker. PGlite belongs to the
 *   graph's process: the run follows the runs through the API, and reads its figures from
 *   the folder once the graph has stopped;
 * - `database` (not run unless asked): Postgres without REDIS_URL, the database's own worker
 *   on a real server (NODE_ENV=development: production requires Redis), which tells the
 *   transport's share from PGlite's.
 *
 * In each, through the API, a user creates organizations and:
 *
 * 1. Events: an EVENT workflow on `page.published` of three steps, a condition, a
 *    setVariables and an httpRequest to a receiver in this process; then BENCH_EVENTS
 *    publishPage mutations (BENCH_EMBEDDED_EVENTS on PGlite, which publishes some 5 a
 *    second: 1000 would take the embedded setup alone five minutes), from BENCH_PUBLISHERS
 *    concurrent publishers (a page each), as fast as the graph answers. Runs/s is the
 *    completed runs over the time from the first event's created_at to the last run's
 *    finished_at: the engine's pace when it falls behind the publishers, else theirs. Each
 *    run's latencies are from its event's created_at (the outbox row) to the run's
 *    created_at (the trigger read it) and to its finished_at, read from the database
 *    afterwards. The organization runs WORKFLOWS_MAX_CONCURRENT_RUNS (20) at once, the
 *    others wait QUEUED: in a burst the engine cannot keep up with, completion is mostly
 *    that wait. Every run must SUCCEED and every request reach the receiver, or the
 *    benchmark fails.
 * 2. Schedules: BENCH_SCHEDULES SCHEDULE workflows on `*\/5 * * * * *` (every 5 s), of one
 *    setVariables step, 20 per organization (so none waits for the per-organization limit);
 *    once all exist, the ticks of the next BENCH_SCHEDULE_SECONDS: each tick to its run's
 *    started_at (stamped in the keeper's transaction, before it commits) and to the run's
 *    first step's started_at (a worker claimed it: the run was committed and its job
 *    picked up). A tick the keeper reaches more than 5 s late starts its run and skips the
 *    ticks in between, by design: "runs" then counts fewer than "ticks".
 *
 * Tune with:
 *
 * - BENCH_SETUPS: which setups, comma-separated (default bullmq,embedded; also database)
 * - BENCH_EVENTS: events fired on Postgres (default 1000)
 * - BENCH_EMBEDDED_EVENTS: events fired on PGlite (default 300)
 * - BENCH_PUBLISHERS: publishPage mutations in flight (default 8)
 * - BENCH_SCHEDULES: schedule workflows (default 100)
 * - BENCH_SCHEDULE_SECONDS: the window of ticks measured (default 15)
 * - BENCH_KEEP_LOGS=1: keep the graphs' logs (they are kept anyway when a run fails)
 * - BENCH_CPU_PROF=1: run the graphs under Node's CPU profiler and print each one's top 15
 *   functions by self time, and where the profiles are
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseTarget, type PrismaClient } from '@token-nexus/prisma';
import { ConfigError, loadEnv, positiveInt } from '@token-nexus/shared';
import { freePortsEnv } from '@token-nexus/test/testkit/free-ports';
import { startGraphProcess, type GraphProcess } from '@token-nexus/test/testkit/graph-process';
import { startWebhookReceiver, type WebhookReceiver } from '@token-nexus/test/testkit/webhook-receiver';
import { startBenchServers, type BenchServers } from './kit/bench-servers.ts';
import { GraphQLClient } from './kit/client.ts';
import { mapConcurrently, sleep } from './kit/concurrency.ts';
import { createScratchDatabase } from './kit/database.ts';
import { percentile } from './kit/load.ts';
import { productionEnv, runSecrets } from './kit/production-graph.ts';
import { profileReport } from './kit/profile-report.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';
import { addMember, createOrganization, range, signUp, type SeededUser } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';

const setupNames = ['bullmq', 'embedded', 'database'] as const;
type SetupName = (typeof setupNames)[number];
const defaultSetups: SetupName[] = ['bullmq', 'embedded'];

const setupLabels: Record<SetupName, string> = {
  bullmq: 'BullMQ (Postgres + Redis)',
  embedded: 'embedded (PGlite)',
  database: 'database worker (Postgres)',
};

/** Every schedule workflow's cron: every 5 s (6 fields, seconds first). */
const everyFiveSeconds = '*/5 * * * * *';
const tickMs = 5_000;
/** WORKFLOWS_MAX_CONCURRENT_RUNS' default: more schedules in one organization would measure that limit, not the keeper. */
const schedulesPerOrganization = 20;
/** createWorkflow's limit per user an hour (schema.graphql): the schedules are spread over enough creators. */
const workflowsPerCreator = 60;
/** After the window, how long the last tick's runs get to start before the graph is stopped anyway. */
const lastTickTimeoutMs = 30_000;
/** The events' runs must all be over within this long of the last publish. */
const eventRunsTimeoutMs = 240_000;

interface Settings {
  setups: SetupName[];
  events: number;
  embeddedEvents: number;
  publishers: number;
  schedules: number;
  scheduleSeconds: number;
  keepLogs: boolean;
  cpuProfile: boolean;
}

/** How one setup's graph is started, and where its data ends up. */
interface PreparedSetup {
  env: Record<string, string>;
  target: DatabaseTarget;
  /** Drops or deletes the setup's database. */
  dispose(): Promise<void>;
}

interface EventFigures {
  fired: number;
  firedPerSecond: number;
  runs: number;
  notSucceeded: number;
  runsPerSecond: number;
  /** Event created_at → run created_at, ascending. */
  triggerMs: number[];
  /** Event created_at → run finished_at, ascending. */
  completionMs: number[];
}

interface ScheduleFigures {
  ticks: number;
  runs: number;
  /** Tick → run started_at, ascending. */
  startedMs: number[];
  /** Tick → the run's first step started_at (claimed by a worker), ascending. */
  firstStepMs: number[];
}

interface SetupResult {
  setup: SetupName;
  events: EventFigures;
  schedules: ScheduleFigures;
  /** The CPU profiles its graph wrote, when profiling. */
  profiles: string[];
}

async function main(): Promise<void> {
  const settings = readSettings();
  const interrupt = new AbortController();
  // `on`, not `once`: under pnpm the same Ctrl-C can come twice (see audit-export.ts).
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  const runDir = await mkdtemp(join(tmpdir(), 'tnx-bench-workflows-'));
  let keepRunDir = settings.keepLogs;
  const receiver = await startWebhookReceiver((_, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  );
  let servers: BenchServers | undefined;
  try {
    progress('starting Postgres 15, redis-server and an SMTP sink…');
    servers = await startBenchServers();
    const results: SetupResult[] = [];
    for (const setup of settings.setups) {
      interrupt.signal.throwIfAborted();
      results.push(await measureSetup(setup, { settings, servers, receiver, runDir, signal: interrupt.signal }));
    }
    console.log(report(results, settings));
    for (const { setup, profiles } of results) {
      if (profiles.length > 0) console.log(`${await profileReport(setupLabels[setup], profiles)}\n`);
    }
    assertNoRunLost(results);
  } catch (error) {
    keepRunDir = true;
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    await receiver.close();
    await servers?.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs${settings.cpuProfile ? ' and CPU profiles' : ''}: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({
    BENCH_EVENTS: positiveInt(1_000),
    BENCH_EMBEDDED_EVENTS: positiveInt(300),
    BENCH_PUBLISHERS: positiveInt(8),
    BENCH_SCHEDULES: positiveInt(100),
    BENCH_SCHEDULE_SECONDS: positiveInt(15),
  }));
  const setups = (process.env.BENCH_SETUPS ?? defaultSetups.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (setups.length === 0 || !setups.every((name) => (setupNames as readonly string[]).includes(name))) {
    throw new ConfigError([{ variable: 'BENCH_SETUPS', message: `must name some of ${setupNames.join(', ')}` }]);
  }
  return {
    setups: setups as SetupName[],
    events: vars.BENCH_EVENTS,
    embeddedEvents: vars.BENCH_EMBEDDED_EVENTS,
    publishers: vars.BENCH_PUBLISHERS,
    schedules: vars.BENCH_SCHEDULES,
    scheduleSeconds: vars.BENCH_SCHEDULE_SECONDS,
    keepLogs: process.env.BENCH_KEEP_LOGS === '1' || process.env.BENCH_CPU_PROF === '1',
    cpuProfile: process.env.BENCH_CPU_PROF === '1',
  };
}

// ---------------------------------------------------------------------------------------
// One setup

interface SetupContext {
  settings: Settings;
  servers: BenchServers;
  receiver: WebhookReceiver;
  runDir: string;
  signal: AbortSignal;
}

/** Starts the setup's graph, runs both measurements through it, stops it, then reads the figures. */
async function measureSetup(setup: SetupName, context: SetupContext): Promise<SetupResult> {
  const { settings, receiver, runDir, signal } = context;
  const label = setupLabels[setup];
  const events = setup === 'embedded' ? settings.embeddedEvents : settings.events;
  const prepared = await prepareSetup(setup, context);
  try {
    progress(`${label}: starting the graph…`);
    const profileDir = join(runDir, 'profiles', setup);
    const graph = await startGraphProcess(prepared.env, {
      logFile: join(runDir, `${setup}.log`),
      nodeOptions: settings.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    const measured = await (async () => {
      try {
        const world = await seedWorld(new GraphQLClient(graph.url), settings, receiver);
        signal.throwIfAborted();
        const before = receiver.requests.length;
        progress(`${label}: firing ${events} page.published events…`);
        const fired = await fireEvents(world, events);
        await eventRunsOver(world, () => receiver.requests.length - before, events, signal);
        progress(`${label}: creating ${settings.schedules} schedule workflows…`);
        await createSchedules(world, settings);
        const window = await scheduleWindow(world, settings, signal);
        return { world, fired, window };
      } finally {
        await stopGraph(graph, label);
      }
    })();
    const database = await openDatabase(prepared.target);
    try {
      const { world, fired, window } = measured;
      return {
        setup,
        events: { ...(await eventFigures(database.prisma, world.eventWorkflowId)), fired: events, firedPerSecond: events / fired.seconds },
        schedules: await scheduleFigures(database.prisma, world.scheduleWorkflowIds, window),
        profiles: settings.cpuProfile ? (await readdir(profileDir)).map((file) => join(profileDir, file)) : [],
      };
    } finally {
      await database.close();
    }
  } finally {
    await prepared.dispose();
  }
}

/** The setup's environment and database: a scratch Postgres database, or a PGlite folder. */
async function prepareSetup(setup: SetupName, { servers, receiver, runDir }: SetupContext): Promise<PreparedSetup> {
  const common = {
    ...freePortsEnv(),
    LOG_LEVEL: 'info',
    TRUSTED_PROXY_HOPS: '1',
    GATEWAY_CACHE: 'off',
    WORKFLOWS_HTTP_ALLOW_LIST: `127.0.0.1:${receiver.port}`,
  };
  const development = { NODE_ENV: 'development', MAIL_DIR: join(runDir, `${setup}-mail`) };
  if (setup === 'embedded') {
    const dataDir = join(runDir, 'pglite');
    return {
      env: { ...development, ...common, EMBEDDED_DATA_DIR: dataDir },
      target: { kind: 'embedded', dataDir },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createScratchDatabase(servers.postgresAdminUrl);
  const keyPrefix = `tnx-bench-workflows-${randomBytes(4).toString('hex')}:`;
  const env =
    setup === 'bullmq'
      ? {
          ...productionEnv({ databaseUrl: database.url, redisUrl: servers.redisUrl, smtpUrl: servers.smtpUrl, keyPrefix, secrets: runSecrets(), cache: 'off' }),
          ...common,
        }
      : { ...development, ...common, DATABASE_URL: database.url, EVENT_CHANNEL_PREFIX: keyPrefix };
  return { env, target: { kind: 'postgres', url: database.url }, dispose: () => database.drop() };
}

/** Stops the graph as Ctrl-C would; it must exit cleanly (its PGlite folder is only readable then). */
async function stopGraph(graph: GraphProcess, label: string): Promise<void> {
  const code = await graph.stop();
  if (code !== 0) throw new Error(`${label}: the graph did not stop cleanly (exit code ${String(code)})`);
}

// ---------------------------------------------------------------------------------------
// Seeding, firing, waiting

interface SeededWorld {
  owner: SeededUser;
  /** The owner and, as the schedules need them, admins who create some of them. */
  creators: SeededUser[];
  eventOrganizationId: string;
  eventWorkflowId: string;
  pageIds: string[];
  scheduleOrganizationIds: string[];
  scheduleWorkflowIds: string[];
}

const createWorkflowMutation = `mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`;

/**
 * Through the API: the owner, the creators the schedules need (admins of every schedule
 * organization), the event organization with a page per publisher and the EVENT workflow,
 * and the schedule organizations.
 */
async function seedWorld(gateway: GraphQLClient, settings: Settings, receiver: WebhookReceiver): Promise<SeededWorld> {
  const owner = await signUp(gateway, 'owner', 'Olive Owner');
  const creators = [owner];
  for (const index of range(Math.ceil((settings.schedules + 1) / workflowsPerCreator) - 1)) {
    creators.push(await signUp(gateway, `creator-${index + 2}`, `Creator ${index + 2}`));
  }
  const eventOrganization = await createOrganization(owner, 'Published pages', 'published-pages');
  const scheduleOrganizationIds: string[] = [];
  for (const index of range(Math.ceil(settings.schedules / schedulesPerOrganization))) {
    const organization = await createOrganization(owner, `Schedules ${index + 1}`, `schedules-${index + 1}`);
    for (const creator of creators.slice(1)) await addMember(owner, organization.id, creator.email, 'ADMIN');
    scheduleOrganizationIds.push(organization.id);
  }
  const pageIds = await mapConcurrently(range(settings.publishers), 4, async (index) => {
    const { createPage } = await owner.client.data<{ createPage: { id: string } }>(
      `mutation ($input: CreatePageInput!) { createPage(input: $input) { id } }`,
      { input: { orgId: eventOrganization.id, slug: `news-${index + 1}`, title: `News ${index + 1}` } },
    );
    return createPage.id;
  });
  const { createWorkflow } = await owner.client.data<{ createWorkflow: { id: string } }>(createWorkflowMutation, {
    orgId: eventOrganization.id,
    input: {
      name: 'Tell the newsroom',
      trigger: { type: 'EVENT', eventType: 'page.published' },
      steps: [
        { key: 'published', type: 'condition', input: { expression: 'trigger.event.data.revision > 0' }, branches: { ifTrue: 'label', ifFalse: null } },
        { key: 'label', type: 'setVariables', input: { variables: { page: '{{trigger.event.data.slug}}', revision: '{{trigger.event.data.revision}}' } } },
        {
          key: 'notify',
          type: 'httpRequest',
          input: { method: 'POST', url: `${receiver.url}/published`, body: { event: '{{trigger.event.id}}', page: '{{vars.page}}', revision: '{{vars.revision}}' } },
        },
      ],
    },
  });
  return {
    owner,
    creators,
    eventOrganizationId: eventOrganization.id,
    eventWorkflowId: createWorkflow.id,
    pageIds,
    scheduleOrganizationIds,
    scheduleWorkflowIds: [],
  };
}

/**
 * Publishes `events` times in all, each publisher its own page (publishes of one page take
 * turns on its row), each as soon as its previous one is answered.
 */
async function fireEvents(world: SeededWorld, events: number): Promise<{ seconds: number }> {
  const publish = `mutation ($id: ID!) { publishPage(id: $id) { id } }`;
  let sent = 0;
  const startedAt = performance.now();
  await Promise.all(
    world.pageIds.map(async (id) => {
      while (sent < events) {
        sent++;
        await world.owner.client.data(publish, { id });
      }
    }),
  );
  return { seconds: (performance.now() - startedAt) / 1000 };
}

/**
 * Waits until the receiver has had every run's request and the workflow has no run in
 * progress, asking the API (a PGlite database cannot be read beside its graph).
 */
async function eventRunsOver(world: SeededWorld, received: () => number, expected: number, signal: AbortSignal): Promise<void> {
  const inProgress = `query ($orgId: ID!, $workflowId: ID!) {
    queued: workflowRuns(orgId: $orgId, workflowId: $workflowId, status: QUEUED, first: 1) { edges { cursor } }
    running: workflowRuns(orgId: $orgId, workflowId: $workflowId, status: RUNNING, first: 1) { edges { cursor } }
    waiting: workflowRuns(orgId: $orgId, workflowId: $workflowId, status: WAITING, first: 1) { edges { cursor } }
  }`;
  const deadline = Date.now() + eventRunsTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    if (received() >= expected) {
      const data = await world.owner.client.data<Record<string, { edges: unknown[] }>>(inProgress, {
        orgId: world.eventOrganizationId,
        workflowId: world.eventWorkflowId,
      });
      if (Object.values(data).every((runs) => runs.edges.length === 0)) return;
    }
    if (Date.now() > deadline) {
      throw new Error(`after ${eventRunsTimeoutMs / 1000} s, the receiver had ${received()} of ${expected} requests, or runs were still in progress`);
    }
    await sleep(250);
  }
}

/** Creates the schedule workflows, `schedulesPerOrganization` per organization, the creators taking turns. */
async function createSchedules(world: SeededWorld, settings: Settings): Promise<void> {
  world.scheduleWorkflowIds = await mapConcurrently(range(settings.schedules), 4, async (index) => {
    const creator = world.creators[index % world.creators.length]!;
    const { createWorkflow } = await creator.client.data<{ createWorkflow: { id: string } }>(createWorkflowMutation, {
      orgId: world.scheduleOrganizationIds[Math.floor(index / schedulesPerOrganization)],
      input: {
        name: `Every five seconds ${index + 1}`,
        trigger: { type: 'SCHEDULE', cron: everyFiveSeconds, timeZone: 'UTC' },
        steps: [{ key: 'stamp', type: 'setVariables', input: { variables: { tick: '{{trigger.tick.scheduledFor}}' } } }],
      },
    });
    return createWorkflow.id;
  });
}

/**
 * Waits out a window of whole ticks that starts once every schedule exists, then until the
 * window's last tick has started a run of every schedule (through the API), or 30 s.
 * @returns the window: the ticks measured are those in [from, to).
 */
async function scheduleWindow(world: SeededWorld, settings: Settings, signal: AbortSignal): Promise<{ from: Date; to: Date }> {
  // The first whole tick at least a second away: every schedule row exists by then.
  const from = Math.ceil((Date.now() + 1_000) / tickMs) * tickMs;
  const to = from + Math.max(1, Math.round((settings.scheduleSeconds * 1000) / tickMs)) * tickMs;
  progress(`measuring the ticks from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}…`);
  await sleep(to - Date.now());
  const lastTick = new Date(to - tickMs).toISOString();
  const newestRuns = `query ($orgId: ID!) { workflowRuns(orgId: $orgId, first: 100) { edges { node { trigger } } } }`;
  const deadline = Date.now() + lastTickTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const started = await mapConcurrently(world.scheduleOrganizationIds, 2, async (orgId) => {
      const { workflowRuns } = await world.owner.client.data<{ workflowRuns: { edges: { node: { trigger: { tick?: { scheduledFor?: string } } } }[] } }>(
        newestRuns,
        { orgId },
      );
      return workflowRuns.edges.filter(({ node }) => node.trigger.tick?.scheduledFor === lastTick).length;
    });
    if (started.reduce((sum, count) => sum + count, 0) >= settings.schedules || Date.now() > deadline) break;
    await sleep(250);
  }
  return { from: new Date(from), to: new Date(to) };
}

// ---------------------------------------------------------------------------------------
// Figures, from the database

async function eventFigures(prisma: PrismaClient, workflowId: string): Promise<Omit<EventFigures, 'fired' | 'firedPerSecond'>> {
  const rows = await prisma.$queryRaw<{ status: string; eventAt: Date; createdAt: Date; finishedAt: Date | null }[]>`
    SELECT r.status::text AS status, e.created_at AS "eventAt", r.created_at AS "createdAt", r.finished_at AS "finishedAt"
    FROM workflows.workflow_runs r
    JOIN integrations.webhook_events e ON r.dedupe_key = 'event:' || e.id::text
    WHERE r.workflow_id = ${workflowId}::uuid`;
  const succeeded = rows.filter((row) => row.status === 'SUCCEEDED' && row.finishedAt);
  const firstEvent = Math.min(...rows.map((row) => row.eventAt.getTime()));
  const lastFinish = Math.max(...succeeded.map((row) => row.finishedAt!.getTime()));
  return {
    runs: rows.length,
    notSucceeded: rows.length - succeeded.length,
    runsPerSecond: succeeded.length / ((lastFinish - firstEvent) / 1000),
    triggerMs: ascending(rows.map((row) => row.createdAt.getTime() - row.eventAt.getTime())),
    completionMs: ascending(succeeded.map((row) => row.finishedAt!.getTime() - row.eventAt.getTime())),
  };
}

async function scheduleFigures(prisma: PrismaClient, workflowIds: string[], window: { from: Date; to: Date }): Promise<ScheduleFigures> {
  const rows = await prisma.$queryRaw<{ tick: Date; startedAt: Date | null; firstStepAt: Date | null }[]>`
    SELECT t.tick, r.started_at AS "startedAt", s.started_at AS "firstStepAt"
    FROM workflows.workflow_runs r
    CROSS JOIN LATERAL (SELECT (r.trigger_payload->'tick'->>'scheduledFor')::timestamptz AS tick) t
    LEFT JOIN workflows.workflow_step_runs s ON s.run_id = r.id AND s.sequence = 1
    WHERE r.workflow_id = ANY(${workflowIds}::uuid[]) AND r.trigger_type = 'SCHEDULE'
      AND t.tick >= ${window.from} AND t.tick < ${window.to}`;
  // A run that never started counts as infinitely late, so it shows in the percentiles.
  const after = (at: Date | null, tick: Date) => (at ? at.getTime() - tick.getTime() : Number.POSITIVE_INFINITY);
  return {
    ticks: workflowIds.length * ((window.to.getTime() - window.from.getTime()) / tickMs),
    runs: rows.length,
    startedMs: ascending(rows.map((row) => after(row.startedAt, row.tick))),
    firstStepMs: ascending(rows.map((row) => after(row.firstStepAt, row.tick))),
  };
}

function ascending(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------
// Report

function report(results: readonly SetupResult[], settings: Settings): string {
  const ms = (values: number[], p: number) => fixed(percentile(values, p), 0);
  return [
    '',
    `Workflows on Node ${process.version}, ${cpus().length} CPUs; each setup a graph of its own (LOG_LEVEL=info), ` +
      'JOB_CONCURRENCY 4, WORKFLOWS_MAX_CONCURRENT_RUNS 20 per organization',
    '',
    `Events: page.published from ${settings.publishers} concurrent publishPage callers, each starting a run of ` +
      'condition → setVariables → httpRequest (a local receiver)',
    'runs/s: completed runs over first event → last run finished (the publishers’ pace when it matches events/s); ' +
      'trigger: event → run created; completion: event → run finished',
    '',
    formatTable(
      [
        { title: 'setup' },
        { title: 'events', align: 'right' },
        { title: 'events/s', align: 'right' },
        { title: 'runs/s', align: 'right' },
        { title: 'trigger p50 ms', align: 'right' },
        { title: 'trigger p95 ms', align: 'right' },
        { title: 'completion p50 ms', align: 'right' },
        { title: 'completion p95 ms', align: 'right' },
      ],
      results.map(({ setup, events }) => [
        setupLabels[setup],
        String(events.fired),
        fixed(events.firedPerSecond, 1),
        fixed(events.runsPerSecond, 1),
        ms(events.triggerMs, 50),
        ms(events.triggerMs, 95),
        ms(events.completionMs, 50),
        ms(events.completionMs, 95),
      ]),
    ),
    '',
    `Scheduler: ${settings.schedules} workflows on "${everyFiveSeconds}" (UTC), ${schedulesPerOrganization} per organization, ` +
      `the ticks of ${settings.scheduleSeconds} s once all exist; tick → run started_at, and → its step claimed`,
    '',
    formatTable(
      [
        { title: 'setup' },
        { title: 'ticks', align: 'right' },
        { title: 'runs', align: 'right' },
        { title: 'started p50 ms', align: 'right' },
        { title: 'started p95 ms', align: 'right' },
        { title: 'started max ms', align: 'right' },
        { title: 'step p50 ms', align: 'right' },
        { title: 'step p95 ms', align: 'right' },
      ],
      results.map(({ setup, schedules }) => [
        setupLabels[setup],
        String(schedules.ticks),
        String(schedules.runs),
        ms(schedules.startedMs, 50),
        ms(schedules.startedMs, 95),
        ms(schedules.startedMs, 100),
        ms(schedules.firstStepMs, 50),
        ms(schedules.firstStepMs, 95),
      ]),
    ),
    '',
  ].join('\n');
}

/** Fails the benchmark, after its report, when an event started no run or a run did not succeed. */
function assertNoRunLost(results: readonly SetupResult[]): void {
  const problems = results.flatMap(({ setup, events }) => [
    ...(events.runs !== events.fired ? [`${setupLabels[setup]}: ${events.runs} runs for ${events.fired} events`] : []),
    ...(events.notSucceeded > 0 ? [`${setupLabels[setup]}: ${events.notSucceeded} runs did not succeed`] : []),
  ]);
  if (problems.length > 0) throw new Error(`the engine lost or failed runs:\n${problems.join('\n')}`);
}

runBenchmark(main);
