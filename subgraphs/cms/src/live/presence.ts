import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  NotFoundError,
  parseInput,
  type EventBus,
  type Logger,
  type PresenceEntry,
  type PresenceStore,
} from '@token-nexus/shared';
import type { CmsContext } from '../context.ts';
import { policy } from '../policy.ts';
import { requirePage } from '../providers/pages.ts';
import { uuid } from '../validation/inputs.ts';
import { jsonNestingExceeds } from '../validation/json-nesting.ts';
import { presenceEvent, publishPresence, type PageSessionModel, type PresenceEvent } from './page-events.ts';

/** A cursor or selection is the client's own JSON, kept small: it is broadcast on every move. */
const maxCursorBytes = 2 * 1024;

function parseCursor(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (jsonNestingExceeds(value, 16) || Buffer.byteLength(JSON.stringify(value)) > maxCursorBytes) {
    throw new BadUserInputError(`cursor: at most ${maxCursorBytes} bytes of JSON, 16 levels deep`, { field: 'cursor' });
  }
  return value;
}

/** Joins a page's session: editors only (VIEWERs follow with pageEvents, unseen). */
export async function joinPageSession(
  ctx: CmsContext,
  args: { pageId: unknown; cursor?: unknown },
): Promise<PageSessionModel> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const userId = policy.requireViewer(ctx);
  const page = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, page.organizationId);
  const cursor = parseCursor(args.cursor);
  const entry = await ctx.live.presence.upsert({ sessionId: randomUUID(), pageId, userId, cursor }, ctx.live.presenceTtlMs);
  await publishPresence(ctx.events, 'JOINED', entry);
  const participants = await ctx.live.presence.list(pageId);
  return {
    id: entry.sessionId,
    pageId,
    participants: participants.map(presenceEvent),
    ttlSeconds: ctx.live.presenceTtlMs / 1000,
  };
}

/** Moves the cursor of one of the viewer's own sessions and keeps it alive. */
export async function updatePresence(
  ctx: CmsContext,
  args: { pageId: unknown; sessionId: unknown; cursor?: unknown },
): Promise<PresenceEvent> {
  const { pageId, sessionId } = await ownSession(ctx, args);
  const cursor = parseCursor(args.cursor);
  const entry = await ctx.live.presence.touch(pageId, sessionId, cursor, ctx.live.presenceTtlMs);
  if (!entry) throw lapsedError();
  await publishPresence(ctx.events, 'UPDATED', entry);
  return presenceEvent(entry);
}

export async function leavePageSession(ctx: CmsContext, args: { pageId: unknown; sessionId: unknown }): Promise<boolean> {
  const { pageId, sessionId } = await ownSession(ctx, args).catch((error: unknown) => {
    if (error instanceof NotFoundError) return { pageId: null, sessionId: null };
    throw error;
  });
  if (!pageId || !sessionId) return false;
  return leave(ctx.live.presence, ctx.events, pageId, sessionId);
}

/** Ends a session and announces it, once, whoever else tries at the same time. */
export async function leave(store: PresenceStore, events: EventBus, pageId: string, sessionId: string): Promise<boolean> {
  const removed = await store.remove(pageId, sessionId);
  if (removed) await publishPresence(events, 'LEFT', removed);
  return removed !== null;
}

/**
 * A session of the viewer's, on a page it may still edit. Another user's session id is
 * NOT_FOUND, like one that lapsed: session ids are not for sharing.
 */
export async function ownSession(
  ctx: CmsContext,
  args: { pageId: unknown; sessionId: unknown },
): Promise<{ pageId: string; sessionId: string }> {
  const pageId = parseInput(uuid, args.pageId, 'pageId');
  const sessionId = parseInput(uuid, args.sessionId, 'sessionId');
  const userId = policy.requireViewer(ctx);
  const page = await requirePage(ctx, pageId);
  await policy.assertCanEditPages(ctx, page.organizationId);
  const entry = await ctx.live.presence.get(pageId, sessionId);
  if (!entry || entry.userId !== userId) throw lapsedError();
  return { pageId, sessionId };
}

function lapsedError(): NotFoundError {
  return new NotFoundError('The session has ended (left, disconnected or silent for too long); join the page again.');
}

/**
 * Removes sessions that fell silent and announces their departure. Every replica runs
 * one; the store hands each lapsed session to exactly one sweeper, so each departure is
 * announced once. Sweeps a few times per TTL, so a silent editor disappears at most a
 * third of a TTL late.
 */
export function startPresenceSweeper(options: {
  store: PresenceStore;
  events: EventBus;
  ttlMs: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    const lapsed: PresenceEntry[] = await options.store.sweep();
    for (const entry of lapsed) await publishPresence(options.events, 'LEFT', entry);
  };
  const timer = setInterval(
    () => {
      running = running.then(sweep).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'presence sweep failed; retrying on the next tick');
      });
    },
    Math.max(100, Math.min(options.ttlMs / 3, 5_000)),
  );
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
