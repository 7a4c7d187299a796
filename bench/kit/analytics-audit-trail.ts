import pg from 'pg';
import { sleep } from './concurrency.ts';

/** What an audit entry of the run records: an action, its severity and the kind of thing it targets. */
export interface ActionKind {
  action: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  targetType: string;
  /** Distinct targets of this type per organization (pages, tokens, members…): the metrics' dimension values. */
  targets: number;
  /** Entries of this action per 100. */
  weight: number;
}

/**
 * The run's mix of actions, per 100 entries: what an organization's trail holds in a
 * working week (edits and assistant messages most, a few denied requests, now and then a
 * member or a token). Every entry counts in `audit.entries`; besides, WARNING and
 * CRITICAL ones in `security.events`, and the actions the ingester knows (see
 * subgraphs/analytics/src/ingest/audit-entry-events.ts) in their metrics: 1.83 metric
 * events per entry on average.
 */
export const actionMix: readonly ActionKind[] = [
  { action: 'page.edited', severity: 'INFO', targetType: 'page', targets: 12, weight: 26 },
  { action: 'ai.message_sent', severity: 'INFO', targetType: 'conversation', targets: 30, weight: 18 },
  { action: 'page.updated', severity: 'INFO', targetType: 'page', targets: 12, weight: 8 },
  { action: 'access.denied', severity: 'WARNING', targetType: 'organization', targets: 1, weight: 7 },
  { action: 'member.added', severity: 'INFO', targetType: 'user', targets: 40, weight: 6 },
  { action: 'page.published', severity: 'INFO', targetType: 'page', targets: 12, weight: 5 },
  { action: 'organization.updated', severity: 'INFO', targetType: 'organization', targets: 1, weight: 4 },
  { action: 'member.role_changed', severity: 'INFO', targetType: 'user', targets: 40, weight: 4 },
  { action: 'token.created', severity: 'INFO', targetType: 'token', targets: 4, weight: 4 },
  { action: 'rate_limit.exceeded', severity: 'WARNING', targetType: 'organization', targets: 1, weight: 4 },
  { action: 'token.deployed', severity: 'INFO', targetType: 'token', targets: 4, weight: 3 },
  { action: 'dashboard.saved', severity: 'INFO', targetType: 'dashboard', targets: 10, weight: 3 },
  { action: 'webhook.endpoint_updated', severity: 'INFO', targetType: 'webhook_endpoint', targets: 2, weight: 2 },
  { action: 'api_key.created', severity: 'INFO', targetType: 'api_key', targets: 5, weight: 2 },
  { action: 'member.removed', severity: 'INFO', targetType: 'user', targets: 40, weight: 2 },
  { action: 'oauth.refresh_token_reused', severity: 'CRITICAL', targetType: 'oauth_app', targets: 2, weight: 1 },
  { action: 'member.left', severity: 'INFO', targetType: 'user', targets: 40, weight: 1 },
];

/** The kind (1-based, as SQL arrays count) of each of 100 slots, in proportion to the weights. */
const slots: number[] = actionMix.flatMap((kind, index) => Array<number>(kind.weight).fill(index + 1));
if (slots.length !== 100) throw new Error(`the action mix weighs ${slots.length}, not 100`);

/** A chain's salt, from its key (an organization id). */
function saltOf(chainKey: string): number {
  return Number.parseInt(chainKey.replaceAll('-', '').slice(0, 6), 16) % 100;
}

export interface BacklogOptions {
  /** The period the entries are spread over, evenly and in sequence order per chain. */
  from: Date;
  to: Date;
  /** Entries per INSERT (and transaction), over all the organizations: a progress report after each. */
  chunkSize: number;
  onProgress?: (written: number, elapsedMs: number) => void;
  /** Stops between chunks, or at once by closing the connection (the running chunk rolls back). */
  signal?: AbortSignal;
}

/**
 * Appends `count` entries to the organizations' chains straight in SQL (through the API
 * they would take hours), as evenly as they divide, spread over the period: what a trail
 * holds when analytics first reads it. Each chunk continues every chain from its head and
 * moves the heads in the same transaction (under their lock), as the writer does; the
 * actions follow `actionMix`, the rest of each row is the size of a real one (a request id,
 * an address, a user agent, a small `changes`). The hashes are fake: the ingester does not
 * read them. Ends with ANALYZE of the trail, as autovacuum would after such growth.
 */
export async function appendAuditBacklog(
  databaseUrl: string,
  organizationIds: readonly string[],
  count: number,
  options: BacklogOptions,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= client.end());
  options.signal?.addEventListener('abort', close, { once: true });
  try {
    options.signal?.throwIfAborted();
    const perChain = organizationIds.map((_, index) =>
      Math.floor(count / organizationIds.length) + (index < count % organizationIds.length ? 1 : 0),
    );
    const chunks = Math.max(1, Math.ceil(count / options.chunkSize));
    const span = options.to.getTime() - options.from.getTime();
    const startedAt = performance.now();
    let written = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const rows = perChain.map((total) => Math.floor((total * (chunk + 1)) / chunks) - Math.floor((total * chunk) / chunks));
      const from = new Date(options.from.getTime() + (span * chunk) / chunks);
      const to = new Date(options.from.getTime() + (span * (chunk + 1)) / chunks);
      await appendChunk(client, organizationIds, rows, from, to);
      written += rows.reduce((sum, value) => sum + value, 0);
      options.onProgress?.(written, performance.now() - startedAt);
      options.signal?.throwIfAborted();
    }
    await client.query('ANALYZE audit.entries');
    await client.query('ANALYZE audit.chain_heads');
  } finally {
    options.signal?.removeEventListener('abort', close);
    await close();
  }
}

async function appendChunk(client: pg.Client, chains: readonly string[], rows: number[], from: Date, to: Date): Promise<void> {
  await client.query('BEGIN');
  try {
    const locked = await client.query(
      'SELECT chain_key FROM audit.chain_heads WHERE chain_key = ANY($1::text[]) ORDER BY chain_key FOR UPDATE',
      [chains],
    );
    if (locked.rowCount !== chains.length) {
      throw new Error(`${chains.length - (locked.rowCount ?? 0)} of the organizations have no audit chain head yet`);
    }
    await client.query(
      `WITH chains AS (
         SELECT t.chain_key, t.rows, t.salt, h.last_sequence AS start
         FROM unnest($1::text[], $2::int[], $3::int[]) AS t(chain_key, rows, salt)
         JOIN audit.chain_heads h ON h.chain_key = t.chain_key
       ), generated AS (
         SELECT c.chain_key, c.start + g AS sequence,
           $4::timestamptz + ($5::timestamptz - $4::timestamptz) * ((g - 0.5) / c.rows)::float8 AS occurred_at,
           ($6::int[])[1 + ((c.start + g)::bigint * 7919 + c.salt) % 100] AS kind
         FROM chains c CROSS JOIN LATERAL generate_series(1, c.rows) AS g
       )
       INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type, actor_id, action,
         target_type, target_id, changes, severity, request_id, client_ip, user_agent, previous_hash, hash)
       SELECT gen_random_uuid(), e.chain_key, e.sequence, e.chain_key::uuid, e.occurred_at, 'USER',
         md5(e.chain_key || ':user:' || e.sequence % 20)::uuid::text,
         ($7::text[])[e.kind], ($8::text[])[e.kind],
         md5(e.chain_key || ':' || ($8::text[])[e.kind] || ':' || (e.sequence::bigint * 7) % ($9::int[])[e.kind])::uuid::text,
         CASE WHEN ($7::text[])[e.kind] = 'token.created'
           THEN jsonb_build_object('after', jsonb_build_object('chainId', '31337', 'symbol', 'TK' || e.sequence % 100))
           ELSE jsonb_build_object('after', jsonb_build_object('n', e.sequence, 'note', 'generated')) END,
         ($10::text[])[e.kind]::audit."AuditSeverity",
         gen_random_uuid()::text, '10.0.' || e.sequence % 250 || '.1', 'Mozilla/5.0 (bench) Gecko/20100101 Firefox/140.0',
         repeat('0', 64), md5(e.chain_key || e.sequence) || md5(e.sequence || e.chain_key)
       FROM generated e`,
      [
        chains,
        rows,
        chains.map(saltOf),
        from,
        to,
        slots,
        actionMix.map((kind) => kind.action),
        actionMix.map((kind) => kind.targetType),
        actionMix.map((kind) => kind.targets),
        actionMix.map((kind) => kind.severity),
      ],
    );
    await client.query(
      `UPDATE audit.chain_heads h SET last_sequence = h.last_sequence + t.rows
       FROM unnest($1::text[], $2::int[]) AS t(chain_key, rows) WHERE h.chain_key = t.chain_key`,
      [chains, rows],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** What the live writer did. */
export interface WriterResult {
  /** Entries it was to write (the rate times the duration). */
  scheduled: number;
  committed: number;
  /** Transactions that failed, by message. */
  failures: Map<string, number>;
  /** From the first transaction started to the last committed, in ms. */
  elapsedMs: number;
  /** How late a transaction started against its schedule, at most (a busy process or a full pool). */
  maxStartLagMs: number;
  /** From each entry's turn to its commit's answer (a wait for a free connection included), ms. */
  transactionMs: { p50: number; p99: number };
}

/** A SQL array literal of `values` (the mix's own names and numbers: no quotes in them). */
function sqlArray(values: readonly (string | number)[], type: 'int' | 'text'): string {
  return `ARRAY[${values.map((value) => (type === 'int' ? String(value) : `'${value}'`)).join(', ')}]::${type}[]`;
}

/** The live writer's statement: $1 the chain (an organization's id), $2 its salt. */
const liveEntryStatement = `
  WITH head AS (
    SELECT last_sequence, last_hash FROM audit.chain_heads WHERE chain_key = $1 FOR UPDATE
  ), kind AS (
    SELECT head.*, (${sqlArray(slots, 'int')})[1 + ((head.last_sequence + 1)::bigint * 7919 + $2::int) % 100] AS kind FROM head
  ), mix AS (
    SELECT k.*, (${sqlArray(actionMix.map((kind) => kind.action), 'text')})[k.kind] AS action,
      (${sqlArray(actionMix.map((kind) => kind.targetType), 'text')})[k.kind] AS target_type,
      (${sqlArray(actionMix.map((kind) => kind.targets), 'int')})[k.kind] AS targets,
      (${sqlArray(actionMix.map((kind) => kind.severity), 'text')})[k.kind] AS severity
    FROM kind k
  ), entry AS (
    INSERT INTO audit.entries (id, chain_key, sequence, organization_id, occurred_at, actor_type, actor_id, action,
      target_type, target_id, changes, severity, request_id, client_ip, user_agent, previous_hash, hash)
    SELECT gen_random_uuid(), $1, m.last_sequence + 1, $1::uuid, now(), 'USER',
      md5($1 || ':user:' || (m.last_sequence + 1) % 20)::uuid::text, m.action, m.target_type,
      md5($1 || ':' || m.target_type || ':' || ((m.last_sequence + 1)::bigint * 7) % m.targets)::uuid::text,
      CASE WHEN m.action = 'token.created'
        THEN jsonb_build_object('after', jsonb_build_object('chainId', '31337'))
        ELSE jsonb_build_object('after', jsonb_build_object('n', m.last_sequence + 1)) END,
      m.severity::audit."AuditSeverity",
      gen_random_uuid()::text, '10.0.' || (m.last_sequence + 1) % 250 || '.1', 'Mozilla/5.0 (bench) Gecko/20100101 Firefox/140.0',
      m.last_hash,
      encode(sha256(convert_to(m.last_hash || $1 || (m.last_sequence + 1) || m.action || now()::text, 'UTF8')), 'hex')
    FROM mix m
    RETURNING sequence, hash
  )
  UPDATE audit.chain_heads h SET last_sequence = entry.sequence, last_hash = entry.hash
  FROM entry WHERE h.chain_key = $1
  RETURNING h.last_sequence AS sequence`;

/**
 * Writes audit entries as the subgraphs' writer does (prisma/src/audit/record-audit.ts),
 * one entry per transaction, on a pool of its own, in one statement (a round trip instead
 * of the writer's five, so that this process and the database spend on the load no more
 * than they must): lock the chain's head, insert the entry at the next sequence with a
 * hash chained to the head's, move the head, commit. Sequences stay gap-free per chain
 * and every entry up to a committed head is committed, which is what the ingester's
 * cursors rely on. (The hash is SHA-256 over the previous hash and the entry's fields,
 * not record-audit's canonical JSON: the ingester does not read it.)
 */
export class LiveAuditWriter {
  readonly #pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly organizationIds: readonly string[],
    connections: number,
  ) {
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
    // A server stopping under an idle connection: the next query fails with the reason.
    this.#pool.on('error', () => {});
  }

  /**
   * Starts one entry's transaction every 1/`ratePerSecond` s for `durationMs`, on
   * schedule (never waiting for earlier ones: a slow database does not slow the load
   * down), the organizations in turn; tells `onCommitted` of each entry once its
   * transaction has committed (`at`: performance.now()). Resolves once every transaction
   * has ended.
   */
  async run(
    ratePerSecond: number,
    durationMs: number,
    onCommitted: (chainKey: string, sequence: number, at: number) => void,
    signal: AbortSignal,
  ): Promise<WriterResult> {
    const scheduled = Math.round((ratePerSecond * durationMs) / 1000);
    const failures = new Map<string, number>();
    const running = new Set<Promise<void>>();
    const transactionMs: number[] = [];
    let committed = 0;
    let maxStartLagMs = 0;
    let lastCommitAt = 0;
    const startedAt = performance.now();
    for (let issued = 0; issued < scheduled && !signal.aborted; ) {
      const now = performance.now();
      const due = Math.min(scheduled, Math.floor(((now - startedAt) * ratePerSecond) / 1000) + 1);
      for (; issued < due; issued++) {
        maxStartLagMs = Math.max(maxStartLagMs, now - (startedAt + (issued * 1000) / ratePerSecond));
        const chainKey = this.organizationIds[issued % this.organizationIds.length]!;
        const beganAt = performance.now();
        const write = this.#write(chainKey)
          .then((sequence) => {
            const at = performance.now();
            committed++;
            lastCommitAt = at;
            transactionMs.push(at - beganAt);
            onCommitted(chainKey, sequence, at);
          })
          .catch((error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            failures.set(message, (failures.get(message) ?? 0) + 1);
          })
          .finally(() => running.delete(write));
        running.add(write);
      }
      await sleep(2);
    }
    await Promise.all(running);
    transactionMs.sort((a, b) => a - b);
    const at = (p: number) => transactionMs[Math.min(transactionMs.length - 1, Math.floor((p / 100) * transactionMs.length))] ?? Number.NaN;
    return {
      scheduled,
      committed,
      failures,
      elapsedMs: (lastCommitAt || performance.now()) - startedAt,
      maxStartLagMs,
      transactionMs: { p50: at(50), p99: at(99) },
    };
  }

  /**
   * One entry, in one statement and so one transaction. The head is locked FOR UPDATE
   * (after a concurrent writer's commit, the lock returns the head it left) and only
   * updated by the last part, so the statement changes it once.
   * @returns the entry's sequence.
   */
  async #write(chainKey: string): Promise<number> {
    // Named: each connection parses and plans it once (planning this statement costs more
    // than running it), and the mix is written into its text rather than sent each time.
    const { rows } = await this.#pool.query<{ sequence: number }>({
      name: 'bench-live-audit-entry',
      text: liveEntryStatement,
      values: [chainKey, saltOf(chainKey)],
    });
    const sequence = rows[0]?.sequence;
    if (sequence === undefined) throw new Error(`organization ${chainKey} has no audit chain head`);
    return sequence;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** Metric events per entry the mix makes, on average (see auditEntryEvents). */
export function metricEventsPerEntry(): number {
  const extra: Record<string, number> = {
    'member.added': 2,
    'organization.created': 2,
    'member.removed': 1,
    'member.left': 1,
    'token.created': 1,
    'token.deployed': 1,
    'ai.message_sent': 1,
    'page.published': 1,
    'page.edited': 1,
  };
  return actionMix.reduce(
    (sum, kind) => sum + (kind.weight / 100) * (1 + (kind.severity === 'INFO' ? 0 : 1) + (extra[kind.action] ?? 0)),
    0,
  );
}
