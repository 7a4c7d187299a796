import { auditedTransaction, type AIMessage } from '@token-nexus/prisma';
import { ConflictError, NotFoundError, QuotaExceededError, parseInput } from '@token-nexus/shared';
import type { AiContext } from '../context.ts';
import { cancelTopic } from '../generation/stream-topics.ts';
import { policy } from '../policy.ts';
import { messageContent, uuid } from '../validation/inputs.ts';
import { providerFor, settingsOf } from './settings.ts';
import { tokensUsedThisMonth } from './usage.ts';

/**
 * Stores the user's message and an empty assistant reply in STREAMING status, and has
 * the reply written in the background; returns at once. Refused before anything is
 * written when the assistant is off, not configured, or the month's quota is spent.
 */
export async function sendMessage(ctx: AiContext, args: { conversationId: unknown; content: unknown }): Promise<AIMessage> {
  const conversation = await policy.ownConversation(ctx, parseInput(uuid, args.conversationId, 'conversationId'));
  const content = parseInput(messageContent, args.content, 'content');
  await policy.assertMember(ctx, conversation.organizationId);
  if (conversation.archived) throw new ConflictError('The conversation is archived; unarchive it to continue.');
  const settings = await settingsOf(ctx.prisma, conversation.organizationId);
  if (!settings.enabled) throw new ConflictError("The organization's assistant is turned off (aiSettings.enabled).");
  providerFor(settings, ctx.replies.platform, ctx.keys);
  if (settings.monthlyTokenQuota !== null) {
    const used = await tokensUsedThisMonth(ctx.prisma, conversation.organizationId);
    if (used >= settings.monthlyTokenQuota) {
      throw new QuotaExceededError(
        `The organization has used its ${settings.monthlyTokenQuota} AI tokens for this month (UTC); an OWNER or ADMIN can raise monthlyTokenQuota.`,
        { quota: settings.monthlyTokenQuota, used },
      );
    }
  }
  const reply = await auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    await tx.aIMessage.create({ data: { conversationId: conversation.id, role: 'USER', content } });
    const assistant = await tx.aIMessage.create({
      data: { conversationId: conversation.id, role: 'ASSISTANT', content: '', status: 'STREAMING', leaseExpiresAt: ctx.replies.leaseUntil() },
    });
    await tx.aIConversation.update({ where: { id: conversation.id }, data: { updatedAt: new Date() } });
    // Never the message's text: only that one was sent, and how long it was.
    audit({
      organizationId: conversation.organizationId,
      action: 'ai.message_sent',
      target: { type: 'ai_conversation', id: conversation.id },
      changes: { after: { replyId: assistant.id, length: content.length, model: conversation.model } },
    });
    return assistant;
  });
  ctx.replies.start({ conversation, messageId: reply.id, settings, claims: ctx.claims });
  return reply;
}

/** Stops a reply still being written (whichever replica writes it). */
export async function cancelMessage(ctx: AiContext, args: { id: unknown }): Promise<AIMessage> {
  const id = parseInput(uuid, args.id, 'id');
  const message = await ctx.prisma.aIMessage.findUnique({ where: { id } });
  if (!message) throw new NotFoundError('The message does not exist.');
  const conversation = await policy.ownConversation(ctx, message.conversationId);
  if (message.status !== 'STREAMING') throw new ConflictError(`The reply is already ${message.status}.`);
  await auditedTransaction(ctx.prisma, ctx.audit, async (_tx, audit) => {
    audit({ organizationId: conversation.organizationId, action: 'ai.message_cancelled', target: { type: 'ai_message', id } });
  });
  await ctx.events.publish(cancelTopic, { messageId: id });
  // The writer ends it CANCELLED with what it wrote; give it a moment, then answer as it is.
  for (let waited = 0; waited < 3_000; waited += 50) {
    const now = await ctx.prisma.aIMessage.findUniqueOrThrow({ where: { id } });
    if (now.status !== 'STREAMING') return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return ctx.prisma.aIMessage.findUniqueOrThrow({ where: { id } });
}
