import type { PageOperation } from '@token-nexus/prisma';
import type { EventBus, PresenceEntry } from '@token-nexus/shared';
import type { JSONOp } from './operations.ts';

/** Every event of one page's live session travels on one topic, so its order is kept. */
export function pageTopic(pageId: string): string {
  return `cms.page.${pageId}`;
}

/** An accepted operation, as the API shows it and as it travels on the bus. */
export interface PageOperationEvent {
  kind: 'operation';
  pageId: string;
  version: number;
  baseVersion: number;
  operation: JSONOp;
  authorId: string;
  submissionId: string | null;
  /** ISO 8601 (JSON has no dates). */
  createdAt: string;
}

/** An editor's presence, as the API shows it. */
export interface PresenceEvent {
  sessionId: string;
  pageId: string;
  userId: string;
  cursor: unknown;
  expiresAt: string;
}

export interface PresenceChangedEvent {
  kind: 'presence';
  change: 'JOINED' | 'UPDATED' | 'LEFT';
  presence: PresenceEvent;
}

export type PageBusEvent = PageOperationEvent | PresenceChangedEvent;

export interface PageSessionModel {
  id: string;
  pageId: string;
  participants: PresenceEvent[];
  ttlSeconds: number;
}

export function operationEvent(row: PageOperation): PageOperationEvent {
  return {
    kind: 'operation',
    pageId: row.pageId,
    version: row.version,
    baseVersion: row.baseVersion,
    operation: row.operation as JSONOp,
    authorId: row.authorId,
    submissionId: row.submissionId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presenceEvent(entry: PresenceEntry): PresenceEvent {
  return {
    sessionId: entry.sessionId,
    pageId: entry.pageId,
    userId: entry.userId,
    cursor: entry.cursor ?? null,
    expiresAt: new Date(entry.expiresAt).toISOString(),
  };
}

/** Announces committed operations (oldest first) to every subscriber of the page, on any instance. */
export async function publishOperations(events: EventBus, rows: readonly PageOperation[]): Promise<void> {
  for (const row of rows) await events.publish(pageTopic(row.pageId), operationEvent(row));
}

export function publishPresence(
  events: EventBus,
  change: PresenceChangedEvent['change'],
  entry: PresenceEntry,
): Promise<void> {
  const event: PresenceChangedEvent = { kind: 'presence', change, presence: presenceEvent(entry) };
  return events.publish(pageTopic(entry.pageId), event);
}
