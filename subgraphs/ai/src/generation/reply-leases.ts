import type { PrismaClient } from '@token-nexus/prisma';
import type { EventBus, Logger } from '@token-nexus/shared';
import { publishStreamEvent } from './stream-topics.ts';

/** Said on a reply whose writer vanished (its lease ran out). */
export const abandonedReplyReason =
  'The service writing this reply stopped before finishing it (it was restarted or failed); send the message again.';

/**
 * Extends the writer's hold on a reply (in database time, so instances' clocks never
 * matter) and stores the text written so far. False when the reply is no longer being
 * written: it ended elsewhere, and the writer must stop.
 */
export async function renewReplyLease(prisma: PrismaClient, messageId: string, leaseMs: number, content: string): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE ai.messages
    SET lease_expires_at = now() + ${leaseMs} * interval '1 millisecond', content = ${content}, updated_at = now()
    WHERE id = ${messageId}::uuid AND status = 'STREAMING'`;
  return renewed === 1;
}

/**
 * Ends FAILED every reply whose lease has run out, keeping the text stored by its last
 * renewal, and tells its subscribers (any instance may run this: the UPDATE takes each
 * reply once). A reply without a lease predates leases and is ended too.
 */
export async function endAbandonedReplies(prisma: PrismaClient, events: EventBus): Promise<number> {
  const ended = await prisma.$queryRaw<{ id: string; conversationId: string; content: string }[]>`
    UPDATE ai.messages
    SET status = 'FAILED', failure_reason = ${abandonedReplyReason}, lease_expires_at = NULL, updated_at = now()
    WHERE status = 'STREAMING' AND (lease_expires_at IS NULL OR lease_expires_at < now())
    RETURNING id::text AS id, conversation_id::text AS "conversationId", content`;
  for (const reply of ended) {
    await publishStreamEvent(events, reply.conversationId, {
      messageId: reply.id,
      offset: reply.content.length,
      delta: '',
      final: true,
    });
  }
  return ended.length;
}

/** Looks for abandoned replies every `intervalMs` until stopped. */
export function startAbandonedReplySweeper(options: {
  prisma: PrismaClient;
  events: EventBus;
  intervalMs: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        const ended = await endAbandonedReplies(options.prisma, options.events);
        if (ended > 0) options.logger.warn({ ended }, 'replies whose writer vanished were ended FAILED');
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, 'looking for abandoned replies failed'));
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
