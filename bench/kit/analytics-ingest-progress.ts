import pg from 'pg';
import { sleep } from './concurrency.ts';

/**
 * The metrics the ingester counts from the audit trail (see
 * subgraphs/analytics/src/ingest/audit-entry-events.ts): their hourly totals' counts are
 * the metric events it wrote from the trail.
 */
const auditMetrics = [
  'audit.entries',
  'security.events',
  'members.joined',
  'members.count',
  'tokens.created',
  'tokens.deployed',
  'ai.messages',
  'cms.pages.published',
  'cms.edits',
];

/** Where the ingester stands on the audit trail, over every organization's chain. */
export interface TrailPosition {
  chains: number;
  /** Entries in the organizations' chains (the sum of their heads). */
  entries: number;
  /** Entries the cursors have not passed yet. */
  remaining: number;
  /** The earliest cursor move at or after `since` (the database's clock), if any. */
  firstMoveAt: Date | null;
}

/** What the rollups hold from the audit trail. */
export interface RollupCounts {
  /** Entries counted in `audit.entries`, hourly and daily (each must equal the trail's size). */
  hourlyEntries: number;
  dailyEntries: number;
  /** Metric events counted in the hourly totals of every audit metric. */
  events: number;
  /** Rollup rows, every metric. */
  rows: number;
}

/** Reads the ingester's progress from its cursors (analytics.ingest_cursors), on a connection of its own. */
export class IngestWatcher {
  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<IngestWatcher> {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => {});
    await client.connect();
    return new IngestWatcher(client);
  }

  async position(since: Date = new Date(8.64e15)): Promise<TrailPosition> {
    const { rows } = await this.client.query<{ chains: string; entries: string; remaining: string; first_move_at: Date | null }>(
      `SELECT count(*) AS chains, coalesce(sum(h.last_sequence), 0) AS entries,
         coalesce(sum(h.last_sequence - least(coalesce(c.position, 0), h.last_sequence)), 0) AS remaining,
         min(c.updated_at) FILTER (WHERE c.updated_at >= $1) AS first_move_at
       FROM audit.chain_heads h
       LEFT JOIN analytics.ingest_cursors c ON c.source = 'audit' AND c.key = h.chain_key
       WHERE h.chain_key <> 'platform'`,
      [since],
    );
    const row = rows[0]!;
    return { chains: Number(row.chains), entries: Number(row.entries), remaining: Number(row.remaining), firstMoveAt: row.first_move_at };
  }

  /** Every chain's cursor: the last sequence counted. */
  async cursors(): Promise<Map<string, number>> {
    const { rows } = await this.client.query<{ key: string; position: string }>(
      `SELECT key, position FROM analytics.ingest_cursors WHERE source = 'audit'`,
    );
    return new Map(rows.map((row) => [row.key, Number(row.position)]));
  }

  async rollupCounts(): Promise<RollupCounts> {
    const { rows } = await this.client.query<{ hourly: string; daily: string; events: string; rows: string }>(
      `SELECT
         coalesce(sum(count) FILTER (WHERE metric = 'audit.entries' AND grain = 'HOUR' AND dimension = ''), 0) AS hourly,
         coalesce(sum(count) FILTER (WHERE metric = 'audit.entries' AND grain = 'DAY' AND dimension = ''), 0) AS daily,
         coalesce(sum(count) FILTER (WHERE metric = ANY($1::text[]) AND grain = 'HOUR' AND dimension = ''), 0) AS events,
         count(*) AS rows
       FROM analytics.rollups`,
      [auditMetrics],
    );
    const row = rows[0]!;
    return { hourlyEntries: Number(row.hourly), dailyEntries: Number(row.daily), events: Number(row.events), rows: Number(row.rows) };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** One reading while the ingester catches up. */
export interface CatchUpSample {
  /** Date.now() when the reading came back. */
  at: number;
  /** Entries counted since the start (of the backlog). */
  ingested: number;
}

/** How a backlog was caught up. */
export interface CatchUp {
  backlog: number;
  samples: CatchUpSample[];
  /** When the first ingest round of the graph began (its transaction's start, from the cursors), Date.now() scale. */
  firstRoundAt: number;
  /** When the cursors were first seen at the heads. */
  doneAt: number;
}

/**
 * Polls the cursors every `pollMs` from `since` (the graph's start) until they reach the
 * heads, reporting progress every few seconds; fails if they stop moving for `stallMs`.
 */
export async function watchCatchUp(
  watcher: IngestWatcher,
  options: {
    since: number;
    backlog: number;
    pollMs: number;
    stallMs: number;
    signal: AbortSignal;
    onProgress: (ingested: number, backlog: number, perSecond: number) => void;
    /** Called once, when a reading first shows a cursor moved. */
    onFirstMove?: () => Promise<void>;
  },
): Promise<CatchUp> {
  const since = new Date(options.since);
  const samples: CatchUpSample[] = [];
  let firstMoveAt: Date | null = null;
  let lastMove = Date.now();
  let lastReport = Date.now();
  let reportedIngested = 0;
  for (;;) {
    options.signal.throwIfAborted();
    const position = await watcher.position(since);
    const at = Date.now();
    if (!firstMoveAt && position.firstMoveAt) {
      firstMoveAt = position.firstMoveAt;
      await options.onFirstMove?.();
    }
    const ingested = options.backlog - position.remaining;
    if (ingested !== samples.at(-1)?.ingested) lastMove = at;
    samples.push({ at, ingested });
    if (position.remaining === 0) {
      return { backlog: options.backlog, samples, firstRoundAt: firstMoveAt?.getTime() ?? at, doneAt: at };
    }
    if (at - lastMove > options.stallMs) {
      throw new Error(
        `the ingester stopped: ${position.remaining} of ${options.backlog} entries not counted, no progress for ${options.stallMs / 1000} s`,
      );
    }
    if (at - lastReport >= 5_000) {
      options.onProgress(ingested, options.backlog, ((ingested - reportedIngested) * 1000) / (at - lastReport));
      lastReport = at;
      reportedIngested = ingested;
    }
    await sleep(options.pollMs);
  }
}

/**
 * The time from each committed entry to the first reading of its chain's cursor at or
 * past its sequence: polls the cursors every `pollMs` while running. Times are
 * performance.now(), from the writer's commits to when a reading came back.
 */
export class LagTracker {
  readonly #pending = new Map<string, { sequence: number; at: number }[]>();
  readonly lagsMs: number[] = [];
  #pendingCount = 0;
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();
  polls = 0;

  constructor(
    private readonly watcher: IngestWatcher,
    private readonly pollMs: number,
  ) {}

  committed(chainKey: string, sequence: number, at: number): void {
    let pending = this.#pending.get(chainKey);
    if (!pending) this.#pending.set(chainKey, (pending = []));
    pending.push({ sequence, at });
    this.#pendingCount++;
  }

  get pending(): number {
    return this.#pendingCount;
  }

  start(): void {
    this.#stopped = false;
    this.#loop = (async () => {
      while (!this.#stopped) {
        await this.poll();
        await sleep(this.pollMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }

  async poll(): Promise<void> {
    const cursors = await this.watcher.cursors();
    const at = performance.now();
    this.polls++;
    for (const [chainKey, pending] of this.#pending) {
      const position = cursors.get(chainKey) ?? 0;
      const left = pending.filter((entry) => entry.sequence > position);
      if (left.length === pending.length) continue;
      for (const entry of pending) if (entry.sequence <= position) this.lagsMs.push(at - entry.at);
      this.#pendingCount -= pending.length - left.length;
      this.#pending.set(chainKey, left);
    }
  }

  /** Polls until every committed entry was counted, or `timeoutMs`. @returns whether all were. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#pendingCount > 0 && performance.now() < deadline) {
      await this.poll();
      if (this.#pendingCount > 0) await sleep(this.pollMs);
    }
    return this.#pendingCount === 0;
  }
}
