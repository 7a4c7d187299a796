import type { PrismaClient, Workflow } from '@token-nexus/prisma';
import { startPolling, type Logger } from '@token-nexus/shared';
import type { StoredTrigger } from '../models.ts';
import type { EngineSettings } from './engine-settings.ts';
import type { ChangedRun } from './run-updates.ts';
import { startRun } from './start-run.ts';

/**
 * An event can commit a little after events stamped later than it (its transaction was
 * slower), so every round reads again from this long before the newest event read, and
 * skips those already handled (workflow_event_receipts).
 */
export const eventLookBackMs = 5 * 60_000;

const batchSize = 500;

interface OutboxEvent {
  id: string;
  organizationId: string;
  type: string;
  data: Record<string, unknown>;
  causation: string[];
  createdAt: Date;
}

/**
 * Reads the platform's event outbox (integrations.webhook_events: the transactional
 * source webhooks are delivered from) and starts a run of every enabled EVENT workflow of
 * the event's organization and type whose filter the event's data matches. The runs, the
 * receipts of the events read and the cursor move in one transaction, so an event is
 * handled exactly once, and one committed while this service was down is handled when it
 * comes back (the cursor waits for it). Rounds of several instances take turns (a lock).
 *
 * This is the third deliberate read of another domain's table (after analytics'), in the
 * one place that does it.
 */
export async function readEventsRound(prisma: PrismaClient, settings: EngineSettings): Promise<{ read: number; changed: ChangedRun[] }> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('workflows.event-trigger'))`;
      const cursor = await tx.workflowEventCursor.findUnique({ where: { id: 1 } });
      const from = new Date(Math.max(0, (cursor?.readUpTo ?? new Date(0)).getTime() - eventLookBackMs));
      const events = await tx.$queryRaw<OutboxEvent[]>`
        SELECT e.id, e.organization_id AS "organizationId", e.type, e.data, COALESCE(e.causation, '{}') AS causation, e.created_at AS "createdAt"
        FROM integrations.webhook_events e
        WHERE e.created_at >= ${from}
          AND NOT EXISTS (SELECT 1 FROM workflows.workflow_event_receipts r WHERE r.event_id = e.id)
        ORDER BY e.created_at, e.id LIMIT ${batchSize}`;
      if (events.length === 0) return { read: 0, changed: [] };
      const changed: ChangedRun[] = [];
      const workflows = await eventWorkflows(tx, events);
      for (const event of events) {
        for (const workflow of workflows.get(`${event.organizationId}:${event.type}`) ?? []) {
          // A workflow reacts to what happens once it exists, not to events from before it was made.
          if (event.createdAt < workflow.createdAt) continue;
          if (!matchesFilter((workflow.trigger as unknown as StoredTrigger).filter, event.data)) continue;
          const started = await startRun(tx, workflow, runStartOf(event), settings);
          changed.push(...started.changed);
        }
      }
      await tx.workflowEventReceipt.createMany({ data: events.map((event) => ({ eventId: event.id, eventAt: event.createdAt })), skipDuplicates: true });
      const newest = events[events.length - 1]!.createdAt;
      await tx.workflowEventCursor.upsert({
        where: { id: 1 },
        create: { id: 1, readUpTo: newest },
        update: { readUpTo: cursor && cursor.readUpTo > newest ? cursor.readUpTo : newest },
      });
      await tx.workflowEventReceipt.deleteMany({ where: { eventAt: { lt: new Date(from.getTime() - eventLookBackMs) } } });
      return { read: events.length, changed };
    },
    { timeout: 30_000 },
  );
}

/** The enabled EVENT workflows the events may start, by `organization:type`. */
async function eventWorkflows(tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], events: OutboxEvent[]) {
  const organizations = [...new Set(events.map((event) => event.organizationId))];
  const candidates = await tx.workflow.findMany({
    where: { organizationId: { in: organizations }, enabled: true, deletedAt: null, trigger: { path: ['type'], equals: 'EVENT' } },
  });
  const byKey = new Map<string, Workflow[]>();
  for (const workflow of candidates) {
    const key = `${workflow.organizationId}:${(workflow.trigger as unknown as StoredTrigger).eventType}`;
    byKey.set(key, [...(byKey.get(key) ?? []), workflow]);
  }
  return byKey;
}

function runStartOf(event: OutboxEvent) {
  return {
    type: 'EVENT' as const,
    payload: { event: { id: event.id, type: event.type, occurredAt: event.createdAt.toISOString(), data: event.data } },
    dedupeKey: `event:${event.id}`,
    causation: event.causation,
  };
}

/** Whether the event's data holds every key of the filter with an equal value (objects compared in depth). */
export function matchesFilter(filter: Record<string, unknown> | null, data: unknown): boolean {
  if (!filter) return true;
  return contains(data, filter);
}

function contains(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && value.length === pattern.length && pattern.every((item, index) => contains(value[index], item));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(pattern).every(([key, expected]) => Object.hasOwn(value, key) && contains((value as Record<string, unknown>)[key], expected));
}

/** Polls the outbox every `eventPollMs` (at once again after a full batch); errors are logged and retried next round. */
export function startEventTrigger(options: { prisma: PrismaClient; settings: EngineSettings; logger: Logger; notify: (runs: ChangedRun[]) => void }) {
  return startPolling(options.settings.eventPollMs, options.logger, 'workflow event trigger', async () => {
    const round = await readEventsRound(options.prisma, options.settings);
    options.notify(round.changed);
    return round.read === batchSize;
  });
}
