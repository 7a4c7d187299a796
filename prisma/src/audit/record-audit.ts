import type { BurstCounter, Claims } from '@token-nexus/shared';
import type {
  AuditActorType,
  AuditEntry,
  AuditSeverity,
  Prisma,
  PrismaClient,
} from '../generated/client.ts';
import { genesisHash, hashAuditEntry } from './audit-hash.ts';
import { redactSecrets } from './redact-secrets.ts';

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
}

/** Who acted and how the request reached us, as the gateway saw it. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  /**
   * Told of the entries once their transaction has committed (the live audit feed, cache
   * invalidation: see committedChangesHandler), and awaited before the change returns.
   * Required: an entry the cache is not told of would leave cached answers stale.
   */
  onRecorded: (entries: AuditEntry[]) => void | Promise<void>;
  /**
   * Where security events are counted towards bursts (see countSecuritySignal); absent for
   * background work, which raises none.
   */
  bursts?: BurstCounter;
}

/** One thing that happened, to be recorded. */
export interface AuditEvent {
  /** The organization it belongs to; null for platform events (sign-ups, sign-ins…). */
  organizationId: string | null;
  /** `<noun>.<past tense verb>`, e.g. `organization.created`, `member.role_changed`. */
  action: string;
  target?: { type: string; id: string } | null;
  /** What changed. Secret-looking keys are redacted before anything is stored. */
  changes?: { before?: unknown; after?: unknown } | null;
  severity?: AuditSeverity;
  /** Who acted, when not the request's actor (e.g. the user who has just signed up). */
  actor?: AuditActor;
}

/**
 * A transaction client, and only that: passing the root PrismaClient (which would record
 * outside the change's transaction) does not compile.
 */
export type AuditTransaction = Prisma.TransactionClient & { $connect?: never };

/** Recording waits its turn behind other writers of the same chain; give it room. */
const transactionOptions = { maxWait: 10_000, timeout: 20_000 } as const;

const actionPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const platformChain = 'platform';

/** The audit context of a request: its actor and origin from the verified claims. */
export function auditContextFromClaims(
  claims: Claims,
  onRecorded: AuditContext['onRecorded'],
  bursts: BurstCounter,
): AuditContext {
  return {
    onRecorded,
    bursts,
    actor: auditActor(claims.actor),
    requestId: claims.requestId,
    clientIp: claims.clientIp,
    userAgent: claims.userAgent,
  };
}

/**
 * Who an entry names. A client is recorded as API_KEY with its credential: an API key's id,
 * or `oauth-app:<id>` for an app acting through the client-credentials grant.
 */
function auditActor(actor: Claims['actor']): AuditContext['actor'] {
  switch (actor.type) {
    case 'user':
      return { type: 'USER', id: actor.userId };
    case 'client':
      return {
        type: 'API_KEY',
        id: actor.credential.kind === 'api_key' ? actor.credential.id : `oauth-app:${actor.credential.id}`,
      };
    case 'anonymous':
      return { type: 'ANONYMOUS', id: null };
  }
}

/**
 * Runs `work` in a transaction and records the events it reports in the same transaction,
 * after the work: a committed change always has its entries, a rolled-back one (an error
 * thrown anywhere in `work`) never has any. This is the way to change state and audit it.
 *
 * Entries are written at the end so that the chain's lock (see below) is held only for
 * the last moments of the transaction.
 */
export async function auditedTransaction<T>(
  prisma: PrismaClient,
  context: AuditContext,
  work: (tx: AuditTransaction, audit: (event: AuditEvent) => void) => Promise<T>,
): Promise<T> {
  let recorded: AuditEntry[] = [];
  const result = await prisma.$transaction(async (tx) => {
    const events: AuditEvent[] = [];
    const value = await work(tx as AuditTransaction, (event) => {
      events.push(event);
    });
    recorded = await recordAuditEvents(tx as AuditTransaction, context, events);
    return value;
  }, transactionOptions);
  if (recorded.length > 0) await context.onRecorded(recorded);
  return result;
}

/** Records events that are not part of a change (a failed sign-in), in their own transaction. */
export async function recordAuditEventsNow(
  prisma: PrismaClient,
  context: AuditContext,
  events: AuditEvent[],
): Promise<AuditEntry[]> {
  const recorded = await prisma.$transaction(
    (tx) => recordAuditEvents(tx as AuditTransaction, context, events),
    transactionOptions,
  );
  if (recorded.length > 0) await context.onRecorded(recorded);
  return recorded;
}

/**
 * Appends events to their chains inside the caller's transaction.
 *
 * Each chain (an organization, or `platform`) has a head row holding its last sequence and
 * hash. An upsert that touches the head both creates it on first use and locks it until
 * the transaction ends, so concurrent writers to one chain take turns and each sees the
 * head its predecessor committed: numbering stays gap-free and every entry links to the
 * one before it; a rollback takes back the entry and the head move together. Writers to
 * different chains never wait for each other. Chains are locked in a fixed order so that
 * transactions recording in several chains cannot deadlock.
 */
export async function recordAuditEvents(
  tx: AuditTransaction,
  context: AuditContext,
  events: AuditEvent[],
): Promise<AuditEntry[]> {
  const ordered = events
    .map((event) => ({ event, chainKey: event.organizationId ?? platformChain }))
    .sort((a, b) => (a.chainKey < b.chainKey ? -1 : a.chainKey > b.chainKey ? 1 : 0));
  const entries: AuditEntry[] = [];
  for (const { event, chainKey } of ordered) {
    if (!actionPattern.test(event.action)) {
      throw new Error(`audit action "${event.action}" is not of the form noun.verb_ed`);
    }
    const [head] = await tx.$queryRaw<{ last_sequence: number; last_hash: string }[]>`
      INSERT INTO audit.chain_heads (chain_key, last_sequence, last_hash)
      VALUES (${chainKey}, 0, ${genesisHash})
      ON CONFLICT (chain_key) DO UPDATE SET chain_key = EXCLUDED.chain_key
      RETURNING last_sequence, last_hash`;
    const actor = event.actor ?? context.actor;
    const fields = {
      chainKey,
      sequence: head!.last_sequence + 1,
      organizationId: event.organizationId,
      occurredAt: new Date(),
      actorType: actor.type,
      actorId: actor.id,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      // Through JSON once, so what is hashed is exactly what the jsonb column gives back.
      changes: event.changes ? (JSON.parse(JSON.stringify(redactSecrets(event.changes))) as unknown) : null,
      severity: event.severity ?? 'INFO',
      requestId: context.requestId,
      clientIp: context.clientIp,
      userAgent: context.userAgent,
      previousHash: head!.last_hash,
    } as const;
    const hash = hashAuditEntry(fields);
    entries.push(
      await tx.auditEntry.create({
        data: {
          ...fields,
          changes: (fields.changes ?? undefined) as Prisma.InputJsonValue | undefined,
          hash,
        },
      }),
    );
    await tx.auditChainHead.update({
      where: { chainKey },
      data: { lastSequence: fields.sequence, lastHash: hash },
    });
  }
  return entries;
}
