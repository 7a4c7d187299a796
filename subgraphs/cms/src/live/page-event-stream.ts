import type { PrismaClient } from '@token-nexus/prisma';
import type { EventBus } from '@token-nexus/shared';
import { operationEvent, pageTopic, type PageBusEvent, type PageOperationEvent } from './page-events.ts';
import { tooFarBehindError } from './submit-operations.ts';

/** Operations read from storage at a time, catching up. */
const catchUpBatch = 200;

/**
 * One subscriber's events of a page: the operations after `afterVersion` (or from now),
 * each exactly once, in version order and without a gap, then presence changes as they
 * come.
 *
 * The bus delivers at most once and, between replicas, not always in commit order; the
 * database has every operation. So the stream listens first, reads what it missed from
 * storage once the bus is listening, and afterwards fills any gap it sees (version 7
 * arriving after 5) from storage before going on. Operations it has already delivered
 * are dropped when they come again.
 */
export function pageEventStream(options: {
  prisma: PrismaClient;
  events: EventBus;
  pageId: string;
  /** The version the subscriber's document is at; null to start from the current one. */
  afterVersion: number | null;
  maxVersionsBehind: number;
}): AsyncIterableIterator<PageBusEvent> {
  const { prisma, pageId } = options;
  const live = options.events.subscribe<PageBusEvent>(pageTopic(pageId));
  const presence: PageBusEvent[] = [];
  // Operations read from storage and not delivered yet, in version order.
  let stored: PageOperationEvent[] = [];
  /** The last version delivered. */
  let delivered = 0;
  /** The highest version known to exist: delivered first, in order, before anything waits on the bus. */
  let known = 0;
  let ended = false;

  const start = async () => {
    await live.ready;
    const page = await prisma.page.findUnique({ where: { id: pageId }, select: { version: true } });
    const current = page?.version ?? 0;
    const from = options.afterVersion === null ? current : Math.min(options.afterVersion, current);
    if (current - from > options.maxVersionsBehind) throw tooFarBehindError(from, current, options.maxVersionsBehind);
    delivered = from;
    known = current;
  };
  let started: Promise<void> | undefined;

  const next = async (): Promise<IteratorResult<PageBusEvent>> => {
    await (started ??= start());
    for (;;) {
      if (ended) return { done: true, value: undefined };
      const change = presence.shift();
      if (change) return { done: false, value: change };
      if (delivered < known) {
        if (stored[0]?.version !== delivered + 1) {
          const rows = await prisma.pageOperation.findMany({
            where: { pageId, version: { gt: delivered, lte: known } },
            orderBy: { version: 'asc' },
            take: catchUpBatch,
          });
          stored = rows.map(operationEvent);
          if (stored[0]?.version !== delivered + 1) throw new Error(`page ${pageId} has no operation ${delivered + 1}`);
        }
        const operation = stored.shift()!;
        delivered = operation.version;
        return { done: false, value: operation };
      }
      const result = await live.next();
      if (result.done) return { done: true, value: undefined };
      const event = result.value;
      if (event.kind !== 'operation') {
        presence.push(event);
      } else if (event.version === delivered + 1) {
        delivered = known = event.version;
        return { done: false, value: event };
      } else if (event.version > delivered) {
        // A gap (an event lost, or overtaken by a later one from another replica): the
        // missing operations are committed, since this one is; read them from storage.
        known = event.version;
      }
    }
  };

  return {
    next,
    return: async () => {
      ended = true;
      stored = [];
      await live.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      ended = true;
      await live.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
