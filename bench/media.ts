/**
 * `pnpm bench:media`: uploads of large images through presigned URLs, processed by the
 * media subgraph's background jobs. Each setup is a graph of its own, started as `pnpm
 * start` starts it (its own process, NODE_ENV=production, LOG_LEVEL=info) on Postgres 15
 * and Redis started for the run, so the processing jobs run on BullMQ; the media subgraph,
 * its job worker and every other service are that one process, whose memory is measured.
 *
 * - `folder`: MEDIA_STORAGE=folder (the embedded default's storage), a folder of the run;
 *   uploads are PUT to the gateway, which passes them to the media subgraph's route;
 * - `s3`: MEDIA_STORAGE=s3 against s3rver (an S3-compatible server, in this process, that
 *   stores on disk), so uploads are PUT straight to it and processing downloads from it.
 *
 * Before any graph starts, BENCH_UPLOADS different JPEGs of random pixels are made
 * (3072×2048, quality 95: about 5.2 MB each; different bytes, or media's deduplication
 * would skip processing). Then, in each setup, an owner signs up through the API and
 * creates an organization, and all the uploads start at once, each as a client does it:
 * createMediaUpload (filename, image/jpeg, size, SHA-256) → PUT the bytes to `uploadUrl`
 * with `uploadHeaders` → completeMediaUpload (a failed createMediaUpload is tried again,
 * as a client would: see `upload`); then the organization's assets are listed through the
 * API every 500 ms until none of those completed is PENDING or PROCESSING. Each phase's
 * time as the client saw it is reported too.
 *
 * Figures:
 * - READY/s: the assets READY over the time from the first completeMediaUpload answer to
 *   the last asset's READY (its `updated_at`, read from the database once the graph has
 *   stopped: the graph's clock, on this machine);
 * - complete → READY: per asset, from its completeMediaUpload answer (the job is queued by
 *   then) to its READY `updated_at`: the wait for a worker, then the processing;
 * - the graph process's memory, from /proc/<pid>/status: VmRSS once seeded, before the
 *   first upload; the highest VmRSS sampled every 100 ms from then until every asset is
 *   processed; VmHWM over the same span (reset before the first upload, so it is the true
 *   peak, which sampling can miss); and VmRSS once all are processed;
 * - the CPU over the same span: how busy the machine's cores were (/proc/stat) and how many
 *   of them the graph process had (/proc/<pid>/stat): processing is CPU-bound, so on a
 *   machine other work shares, READY/s follows the graph's share.
 *
 * Every completed upload must end READY, or the benchmark fails (after its report).
 *
 * Tune with:
 *
 * - BENCH_SETUPS: which setups, comma-separated (default folder, some 1.5 minutes on 2
 *   cores; s3 adds some 2, more when other work shares the CPUs: `folder,s3` for both)
 * - BENCH_UPLOADS: uploads at once (default 50)
 * - BENCH_KEEP_LOGS=1: keep the graphs' logs (they are kept anyway when a run fails)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { openDatabase, type PrismaClient } from '@token-nexus/prisma';
import { ConfigError, loadEnv, positiveInt } from '@token-nexus/shared';
import { busyShare, machineCpu } from './kit/analytics-graph.ts';
import { startBenchServers, type BenchServers } from './kit/bench-servers.ts';
import { currentCheckout } from './kit/checkout.ts';
import { GraphQLClient } from './kit/client.ts';
import { sleep } from './kit/concurrency.ts';
import { createScratchDatabase } from './kit/database.ts';
import { percentile } from './kit/load.ts';
import { noiseJpegs, type NoiseJpeg } from './kit/noise-jpegs.ts';
import { processCpuSeconds } from './kit/process-cpu.ts';
import { childProcessId, processEnd, readProcessMemory, resetPeakRss, sampleProcessRss } from './kit/process-memory.ts';
import { productionEnv, runSecrets, startProductionGraph } from './kit/production-graph.ts';
import { Interrupted, progress, runBenchmark } from './kit/run-benchmark.ts';
import { addMember, createOrganization, range, signUp, type SeededUser } from './kit/seed.ts';
import { fixed, formatTable } from './kit/table.ts';

const setupNames = ['folder', 's3'] as const;
type SetupName = (typeof setupNames)[number];
const defaultSetups: SetupName[] = ['folder'];

const setupLabels: Record<SetupName, string> = {
  folder: 'folder (via the gateway)',
  s3: 'S3 (s3rver)',
};

/** ~5.2 MB of noise each (see noiseJpegs). */
const imageShape = { width: 3072, height: 2048, quality: 95 };
/** createMediaUpload allows a user 120 an hour (schema.graphql): larger runs spread the uploads over more members. */
const uploadsPerUploader = 100;
/** Every asset must be processed within this long of the last completeMediaUpload. */
const processingTimeoutMs = 180_000;
const rssSampleIntervalMs = 100;
const pollIntervalMs = 500;
/** How many times an upload tries createMediaUpload, and completeMediaUpload (see upload). */
const mutationAttempts = 3;
/** JOB_CONCURRENCY's default (subgraphs/shared/src/config/job-runner-env.ts), which the graphs run with. */
const defaultJobConcurrency = 4;
const s3Bucket = 'media';

interface Settings {
  setups: SetupName[];
  uploads: number;
  keepLogs: boolean;
}

/** One upload as the client saw it. */
interface SentUpload {
  assetId: string;
  /** Date.now() when createMediaUpload was first sent. */
  startedAt: number;
  /** Date.now() when completeMediaUpload answered. */
  completedAt: number;
  /** The createMediaUpload that answered: the failed tries before it are not counted. */
  createMs: number;
  /** createMediaUpload tries that failed before one answered. */
  createFailures: number;
  putMs: number;
  /** The completeMediaUpload that answered. */
  completeMs: number;
  completeFailures: number;
}

interface GraphMemory {
  /** VmRSS once seeded, before the first upload. */
  before: number;
  /** The highest VmRSS sampled during the uploads and processing. */
  sampledPeak: number;
  /** VmHWM over the same span (NaN when the kernel would not reset it). */
  peak: number;
  /** VmRSS once every asset was processed. */
  after: number;
  samples: number;
  maxGapMs: number;
}

interface SetupResult {
  setup: SetupName;
  uploads: number;
  ready: number;
  /** Assets that ended otherwise: `status (reason)`. */
  notReady: string[];
  /** createMediaUpload tries that failed, and were tried again. */
  createFailures: number;
  /** completeMediaUpload tries that failed, and were tried again. */
  completeFailures: number;
  /** Assets left PENDING by a failed attempt that still went through on the server. */
  abandoned: number;
  /** Per phase of the client's upload, ascending. */
  createMs: number[];
  putMs: number[];
  completeMs: number[];
  /** First createMediaUpload sent → last completeMediaUpload answered. */
  uploadSeconds: number;
  readyPerSecond: number;
  /** completeMediaUpload answered → READY, ascending. */
  completeToReadyMs: number[];
  memory: GraphMemory;
  /** From the first upload until all were processed. */
  cpu: CpuUse;
}

/** The CPU over a span: how busy the machine was, and how much of it the graph had. */
interface CpuUse {
  seconds: number;
  /** Of all the machine's CPU time, the share that was busy (1 = every core). */
  machineBusy: number;
  /** The graph process's CPU time over the span, in cores (CPU seconds / seconds). */
  graphCores: number;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const interrupt = new AbortController();
  // `on`, not `once`: under pnpm the same Ctrl-C can come twice (see audit-export.ts).
  process.on('SIGINT', () => interrupt.abort(new Interrupted()));
  const runDir = await mkdtemp(join(tmpdir(), 'tnx-bench-media-'));
  let keepRunDir = settings.keepLogs;
  let servers: BenchServers | undefined;
  try {
    progress(`making ${settings.uploads} different ${imageShape.width}×${imageShape.height} JPEGs of noise…`);
    const images = await noiseJpegs(settings.uploads, imageShape);
    interrupt.signal.throwIfAborted();
    progress('starting Postgres 15, redis-server and an SMTP sink…');
    servers = await startBenchServers();
    const results: SetupResult[] = [];
    for (const setup of settings.setups) {
      interrupt.signal.throwIfAborted();
      results.push(await measureSetup(setup, { servers, images, runDir, signal: interrupt.signal }));
    }
    console.log(report(results, images));
    assertAllReady(results);
  } catch (error) {
    keepRunDir = true;
    throw interrupt.signal.aborted ? new Interrupted() : error;
  } finally {
    await servers?.stop().catch((error: unknown) => progress(`stopping the servers: ${String(error)}`));
    if (keepRunDir) progress(`the graphs' logs: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  }
}

function readSettings(): Settings {
  const vars = loadEnv(process.env, () => ({ BENCH_UPLOADS: positiveInt(50) }));
  const setups = (process.env.BENCH_SETUPS ?? defaultSetups.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (setups.length === 0 || !setups.every((name) => (setupNames as readonly string[]).includes(name))) {
    throw new ConfigError([{ variable: 'BENCH_SETUPS', message: `must name some of ${setupNames.join(', ')}` }]);
  }
  return { setups: setups as SetupName[], uploads: vars.BENCH_UPLOADS, keepLogs: process.env.BENCH_KEEP_LOGS === '1' };
}

// ---------------------------------------------------------------------------------------
// One setup

interface SetupContext {
  servers: BenchServers;
  images: NoiseJpeg[];
  runDir: string;
  signal: AbortSignal;
}

/** Where the setup's graph keeps the bytes: its environment, and what to stop afterwards. */
interface PreparedStorage {
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the setup's graph on a database of its own, uploads through it, stops it, then reads the figures. */
async function measureSetup(setup: SetupName, context: SetupContext): Promise<SetupResult> {
  const { servers, runDir, images, signal } = context;
  const label = setupLabels[setup];
  const database = await createScratchDatabase(servers.postgresAdminUrl);
  const storage = await prepareStorage(setup, runDir);
  try {
    const env = {
      ...productionEnv({
        databaseUrl: database.url,
        redisUrl: servers.redisUrl,
        smtpUrl: servers.smtpUrl,
        keyPrefix: `tnx-bench-media-${randomBytes(4).toString('hex')}:`,
        secrets: runSecrets(),
        cache: 'off',
      }),
      ...storage.env,
    };
    progress(`${label}: starting the graph…`);
    const graph = await startProductionGraph(currentCheckout, env, { name: `media-${setup}`, runDir, cpuProfile: false });
    let pid: number;
    try {
      pid = childProcessId('launcher/src/main.ts');
    } catch (error) {
      await graph.stop().catch(() => undefined);
      throw error;
    }
    const measured = await (async () => {
      try {
        const { organizationId, uploaders } = await seed(new GraphQLClient(graph.url), images.length);
        signal.throwIfAborted();
        const before = readProcessMemory(pid).rss;
        const cpuBefore = { at: performance.now(), machine: await machineCpu(), graph: processCpuSeconds(pid) };
        const peakReset = resetPeakRss(pid);
        const sampler = sampleProcessRss(pid, rssSampleIntervalMs);
        progress(`${label}: ${images.length} uploads at once…`);
        const sent = await Promise.all(images.map((image, index) => upload(uploaders[Math.floor(index / uploadsPerUploader)]!, organizationId, image, index)));
        progress(`${label}: all uploads completed; waiting for processing…`);
        await processingOver(uploaders[0]!, organizationId, sent.map((upload) => upload.assetId), signal);
        const peaks = sampler.stop();
        const seconds = (performance.now() - cpuBefore.at) / 1000;
        const cpu: CpuUse = {
          seconds,
          machineBusy: busyShare(cpuBefore.machine, await machineCpu()),
          graphCores: (processCpuSeconds(pid) - cpuBefore.graph) / seconds,
        };
        const now = readProcessMemory(pid);
        const memory: GraphMemory = {
          before,
          sampledPeak: peaks.rss,
          peak: peakReset ? now.peakRss : Number.NaN,
          after: now.rss,
          samples: peaks.samples,
          maxGapMs: peaks.maxGapMs,
        };
        return { organizationId, sent, memory, cpu };
      } catch (error) {
        // Read before stopping it, which reaps it.
        const end = processEnd(pid);
        // The run failed already: how the graph then stops adds nothing.
        await graph.stop().catch(() => undefined);
        throw end ? new Error(`${label}: the graph process ${end} during the run (see ${graph.logFile})`, { cause: error }) : error;
      }
    })();
    await graph.stop();
    const opened = await openDatabase({ kind: 'postgres', url: database.url });
    try {
      return { setup, ...(await figures(opened.prisma, measured.organizationId, measured.sent)), memory: measured.memory, cpu: measured.cpu };
    } finally {
      await opened.close();
    }
  } finally {
    await storage.close();
    await database.drop();
  }
}

/** The folder storage in a folder of the run, or an s3rver (with its bucket) storing in one. */
async function prepareStorage(setup: SetupName, runDir: string): Promise<PreparedStorage> {
  const directory = join(runDir, `${setup}-storage`);
  if (setup === 'folder') {
    return { env: { MEDIA_STORAGE: 'folder', MEDIA_DIR: directory }, close: () => rm(directory, { recursive: true, force: true }) };
  }
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: s3Bucket, configs: [] }] });
  const { port } = await server.run();
  return {
    env: {
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: s3Bucket,
      // s3rver's built-in account.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Through the API: an owner, an organization, and as many members as the uploads need (see uploadsPerUploader). */
async function seed(gateway: GraphQLClient, uploads: number): Promise<{ organizationId: string; uploaders: SeededUser[] }> {
  const owner = await signUp(gateway, 'owner', 'Olive Owner');
  const organization = await createOrganization(owner, 'Photo library', 'photo-library');
  const uploaders = [owner];
  for (const index of range(Math.ceil(uploads / uploadsPerUploader) - 1)) {
    const member = await signUp(gateway, `uploader-${index + 2}`, `Uploader ${index + 2}`);
    await addMember(owner, organization.id, member.email, 'MEMBER');
    uploaders.push(member);
  }
  return { organizationId: organization.id, uploaders };
}

const createUploadMutation = `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) {
  createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders alreadyStored asset { id } }
}`;
const completeUploadMutation = `mutation ($id: ID!) { completeMediaUpload(id: $id) { id status } }`;

interface StartedUpload {
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: Record<string, string>;
  alreadyStored: boolean;
  asset: { id: string };
}

/**
 * One upload as a client makes it: ask where, PUT the bytes there, say it is done. A
 * createMediaUpload or completeMediaUpload that fails is tried again after a second, as a
 * client would (completing is safe to repeat), up to `mutationAttempts` times in all. In
 * a burst both can fail: an organization's uploads start one at a time (its quota is
 * checked under a lock), so the last ones wait long and the gateway gives up on the
 * subgraph after SUBGRAPH_TIMEOUT_MS (10 s); and the media subgraph gives up on identity's
 * membership check after 5 s.
 */
async function upload(uploader: SeededUser, orgId: string, image: NoiseJpeg, index: number): Promise<SentUpload> {
  const startedAt = Date.now();
  const created = await withRetries(() =>
    uploader.client.data<{ createMediaUpload: StartedUpload }>(createUploadMutation, {
      orgId,
      input: { filename: `noise-${index + 1}.jpg`, contentType: 'image/jpeg', byteSize: image.bytes.length, sha256: image.sha256 },
    }),
  );
  const started = created.value.createMediaUpload;
  if (started.alreadyStored) throw new Error(`upload ${index + 1}: the organization already holds these bytes, so nothing would be processed`);
  const putStartedAt = performance.now();
  const put = await fetch(started.uploadUrl, { method: started.uploadMethod, headers: started.uploadHeaders, body: image.bytes });
  const answer = await put.text();
  if (!put.ok) throw new Error(`upload ${index + 1}: the PUT was answered ${put.status}: ${answer.slice(0, 500)}`);
  const putMs = performance.now() - putStartedAt;
  const completed = await withRetries(() => uploader.client.data(completeUploadMutation, { id: started.asset.id }));
  return {
    assetId: started.asset.id,
    startedAt,
    completedAt: Date.now(),
    createMs: created.lastMs,
    createFailures: created.failures,
    putMs,
    completeMs: completed.lastMs,
    completeFailures: completed.failures,
  };
}

/** Runs `attempt` until it succeeds, a second apart, `mutationAttempts` times at most; the last try's duration. */
async function withRetries<T>(attempt: () => Promise<T>): Promise<{ value: T; failures: number; lastMs: number }> {
  for (let failures = 0; ; failures++) {
    const startedAt = performance.now();
    try {
      const value = await attempt();
      return { value, failures, lastMs: performance.now() - startedAt };
    } catch (error) {
      if (failures + 1 >= mutationAttempts) throw error;
      await sleep(1_000);
    }
  }
}

const assetStatusesQuery = `query ($orgId: ID!, $after: String) {
  mediaAssets(orgId: $orgId, first: 100, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } }
}`;

/** Lists the organization's assets through the API until none of `assetIds` is PENDING or PROCESSING. */
async function processingOver(reader: SeededUser, orgId: string, assetIds: readonly string[], signal: AbortSignal): Promise<void> {
  const followed = new Set(assetIds);
  const deadline = Date.now() + processingTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const waiting = await unprocessed(reader, orgId, followed).catch((error: unknown) => {
      // A reading that failed under the load is taken again at the next poll.
      progress(`listing the assets failed (${error instanceof Error ? error.message : String(error)}); polling on`);
      return Number.NaN;
    });
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`after ${processingTimeoutMs / 1000} s, ${Number.isNaN(waiting) ? "some" : waiting} assets were still being processed`);
    await sleep(pollIntervalMs);
  }
}

/** How many of `followed` are PENDING or PROCESSING, through the API. */
async function unprocessed(reader: SeededUser, orgId: string, followed: ReadonlySet<string>): Promise<number> {
  let waiting = 0;
  let after: string | null = null;
  do {
    const { mediaAssets }: { mediaAssets: { edges: { node: { id: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await reader.client.data(assetStatusesQuery, { orgId, after });
    waiting += mediaAssets.edges.filter(({ node }) => followed.has(node.id) && (node.status === 'PENDING' || node.status === 'PROCESSING')).length;
    after = mediaAssets.pageInfo.hasNextPage ? mediaAssets.pageInfo.endCursor : null;
  } while (after);
  return waiting;
}

// ---------------------------------------------------------------------------------------
// Figures, from the database

async function figures(prisma: PrismaClient, organizationId: string, sent: SentUpload[]): Promise<Omit<SetupResult, 'setup' | 'memory' | 'cpu'>> {
  const rows = await prisma.$queryRaw<{ id: string; status: string; rejectionReason: string | null; updatedAt: Date }[]>`
    SELECT id::text, status::text AS status, rejection_reason AS "rejectionReason", updated_at AS "updatedAt"
    FROM media.assets WHERE organization_id = ${organizationId}::uuid`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ready = sent.flatMap((upload) => {
    const row = byId.get(upload.assetId);
    return row?.status === 'READY' ? [{ completedAt: upload.completedAt, readyAt: row.updatedAt.getTime() }] : [];
  });
  const sentIds = new Set(sent.map((upload) => upload.assetId));
  const firstComplete = Math.min(...sent.map((upload) => upload.completedAt));
  const lastReady = Math.max(...ready.map((asset) => asset.readyAt));
  return {
    uploads: sent.length,
    ready: ready.length,
    notReady: sent.flatMap((upload) => {
      const row = byId.get(upload.assetId);
      if (!row) return ['missing'];
      return row.status === 'READY' ? [] : [`${row.status}${row.rejectionReason ? ` (${row.rejectionReason})` : ''}`];
    }),
    createFailures: sent.reduce((sum, upload) => sum + upload.createFailures, 0),
    completeFailures: sent.reduce((sum, upload) => sum + upload.completeFailures, 0),
    abandoned: rows.filter((row) => !sentIds.has(row.id)).length,
    createMs: ascending(sent.map((upload) => upload.createMs)),
    putMs: ascending(sent.map((upload) => upload.putMs)),
    completeMs: ascending(sent.map((upload) => upload.completeMs)),
    uploadSeconds: (Math.max(...sent.map((upload) => upload.completedAt)) - Math.min(...sent.map((upload) => upload.startedAt))) / 1000,
    readyPerSecond: ready.length / ((lastReady - firstComplete) / 1000),
    completeToReadyMs: ascending(ready.map((asset) => asset.readyAt - asset.completedAt)),
  };
}

function ascending(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------
// Report

function report(results: readonly SetupResult[], images: readonly NoiseJpeg[]): string {
  const megabytes = (bytes: number) => fixed(bytes / 1024 ** 2, 0);
  const seconds = (values: number[], p: number) => fixed(percentile(values, p) / 1000, 1);
  const spread = (values: number[]) => [50, 95, 100].map((p) => seconds(values, p)).join(' / ');
  const sizes = images.map((image) => image.bytes.length);
  const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
  return [
    '',
    `Media uploads on Node ${process.version}, ${cpus().length} CPUs; each setup a graph of its own (pnpm start, NODE_ENV=production, ` +
      'LOG_LEVEL=info) on Postgres 15 + Redis: every service, the media subgraph and its BullMQ worker in one process',
    `${images.length} different ${imageShape.width}×${imageShape.height} JPEGs of noise at quality ${imageShape.quality} ` +
      `(${fixed(mean / 1e6, 2)} MB each on average, ${fixed(Math.min(...sizes) / 1e6, 2)}–${fixed(Math.max(...sizes) / 1e6, 2)}), ` +
      'all uploaded at once: createMediaUpload → PUT to uploadUrl → completeMediaUpload',
    `Processing: JOB_CONCURRENCY ${defaultJobConcurrency} (its default: media.process jobs at once), libvips threads per image ` +
      `${sharp.concurrency()} (sharp's default here); each job: download and hash, re-encoded original, WebP 256/1024/2048`,
    'uploads s: first createMediaUpload → last completeMediaUpload answered; READY/s: assets READY over first complete → last READY; ' +
      'complete → READY: per asset, completeMediaUpload answered → READY updated_at',
    'RSS of the graph process (MB): before the first upload; the highest sampled every 100 ms until all are processed; ' +
      'VmHWM over that span; after',
    '',
    formatTable(
      [
        { title: 'setup' },
        { title: 'uploads', align: 'right' },
        { title: 'READY', align: 'right' },
        { title: 'uploads s', align: 'right' },
        { title: 'READY/s', align: 'right' },
        { title: 'p50 s', align: 'right' },
        { title: 'p95 s', align: 'right' },
        { title: 'max s', align: 'right' },
        { title: 'RSS before', align: 'right' },
        { title: 'RSS peak sampled', align: 'right' },
        { title: 'VmHWM', align: 'right' },
        { title: 'RSS after', align: 'right' },
      ],
      results.map((result) => [
        setupLabels[result.setup],
        String(result.uploads),
        String(result.ready),
        fixed(result.uploadSeconds, 1),
        fixed(result.readyPerSecond, 2),
        seconds(result.completeToReadyMs, 50),
        seconds(result.completeToReadyMs, 95),
        seconds(result.completeToReadyMs, 100),
        megabytes(result.memory.before),
        megabytes(result.memory.sampledPeak),
        megabytes(result.memory.peak),
        megabytes(result.memory.after),
      ]),
    ),
    '',
    'The uploads as the client saw them (s): each phase p50 / p95 / max (of the try that answered); a failed createMediaUpload ' +
      `or completeMediaUpload is tried again after 1 s (${mutationAttempts} tries at most); assets that failed creates still made are left PENDING`,
    '',
    formatTable(
      [
        { title: 'setup' },
        { title: 'createMediaUpload', align: 'right' },
        { title: 'failed creates', align: 'right' },
        { title: 'left PENDING', align: 'right' },
        { title: 'PUT', align: 'right' },
        { title: 'completeMediaUpload', align: 'right' },
        { title: 'failed completes', align: 'right' },
      ],
      results.map((result) => [
        setupLabels[result.setup],
        spread(result.createMs),
        String(result.createFailures),
        String(result.abandoned),
        spread(result.putMs),
        spread(result.completeMs),
        String(result.completeFailures),
      ]),
    ),
    '',
    ...results.map(
      ({ setup, memory, cpu }) =>
        `${setupLabels[setup]}: over the ${fixed(cpu.seconds, 0)} s from the first upload until all were processed, the machine's ` +
        `CPUs were ${fixed(cpu.machineBusy * 100, 0)}% busy and the graph process used ${fixed(cpu.graphCores, 2)} of its ` +
        `${cpus().length} cores (the rest: this process, Postgres, Redis and anything else running); ` +
        `${memory.samples} RSS samples, the longest gap between two ${fixed(memory.maxGapMs, 0)} ms`,
    ),
    '',
  ].join('\n');
}

/** Fails the benchmark, after its report, when an asset did not end READY. */
function assertAllReady(results: readonly SetupResult[]): void {
  const problems = results
    .filter((result) => result.ready !== result.uploads)
    .map((result) => `${setupLabels[result.setup]}: ${result.ready} of ${result.uploads} READY; the others: ${result.notReady.join('; ')}`);
  if (problems.length > 0) throw new Error(`some uploads were not processed:\n${problems.join('\n')}`);
}

runBenchmark(main);
