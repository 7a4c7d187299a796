import { auditedTransaction, type AIConversation } from '@token-nexus/prisma';
import {
  BadUserInputError,
  decodeNewestFirstCursor,
  encodeCursor,
  parseInput,
  parsePageRequest,
  toConnection,
} from '@token-nexus/shared';
import { z } from 'zod';
import type { AiContext } from '../context.ts';
import type { AIConversationConnectionModel, AIMessageConnectionModel } from '../models.ts';
import { policy } from '../policy.ts';
import { modelName, title, uuid } from '../validation/inputs.ts';
import { settingsOf } from './settings.ts';

export async function findConversation(ctx: AiContext, id: unknown): Promise<AIConversation | null> {
  return policy.ownConversation(ctx, parseInput(uuid, id, 'id')).catch((error: unknown) => {
    if (error instanceof Error && 'extensions' in error && (error as { extensions: { code?: string } }).extensions.code === 'NOT_FOUND') return null;
    throw error;
  });
}

/** The viewer's conversations in an organization, most recently active first. */
export async function listConversations(
  ctx: AiContext,
  args: { orgId: unknown; archived?: boolean | null; first?: number | null; after?: string | null },
): Promise<AIConversationConnectionModel> {
  const organizationId = parseInput(uuid, args.orgId, 'orgId');
  const userId = policy.requireViewer(ctx);
  await policy.assertMember(ctx, organizationId);
  const page = parsePageRequest(args, decodeNewestFirstCursor);
  const rows = await ctx.prisma.aIConversation.findMany({
    where: {
      organizationId,
      userId,
      archived: args.archived ?? false,
      ...(page.after
        ? { OR: [{ updatedAt: { lt: page.after.createdAt } }, { updatedAt: page.after.createdAt, id: { lt: page.after.id } }] }
        : {}),
    },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
  });
  return toConnection(rows, page, (row) => encodeCursor([row.updatedAt.toISOString(), row.id]));
}

/** A conversation's messages, oldest first. */
export async function listMessages(
  ctx: AiContext,
  conversationId: string,
  args: { first?: number | null; after?: string | null },
): Promise<AIMessageConnectionModel> {
  const page = parsePageRequest({ first: args.first ?? 50, after: args.after ?? null }, decodeNewestFirstCursor);
  const rows = await ctx.prisma.aIMessage.findMany({
    where: {
      conversationId,
      ...(page.after
        ? { OR: [{ createdAt: { gt: page.after.createdAt } }, { createdAt: page.after.createdAt, id: { gt: page.after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: page.limit + 1,
  });
  return toConnection(rows, page, (row) => encodeCursor([row.createdAt.toISOString(), row.id]));
}

const createInput = z.object({ orgId: uuid, title: title.nullish(), model: modelName.nullish() });

export async function createConversation(ctx: AiContext, rawInput: unknown): Promise<AIConversation> {
  const input = parseInput(createInput, rawInput, 'input');
  const userId = policy.requireViewer(ctx);
  await policy.assertMember(ctx, input.orgId);
  const settings = await settingsOf(ctx.prisma, input.orgId);
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const conversation = await tx.aIConversation.create({
      data: {
        organizationId: input.orgId,
        userId,
        title: input.title ?? 'New conversation',
        model: input.model ?? settings.model ?? ctx.defaultModel,
      },
    });
    audit({
      organizationId: input.orgId,
      action: 'ai.conversation_created',
      target: { type: 'ai_conversation', id: conversation.id },
      changes: { after: { model: conversation.model } },
    });
    return conversation;
  });
}

const updateInput = z.object({ title: title.nullish(), archived: z.boolean().nullish() });

export async function updateConversation(ctx: AiContext, args: { id: unknown; input: unknown }): Promise<AIConversation> {
  const conversation = await policy.ownConversation(ctx, parseInput(uuid, args.id, 'id'));
  const input = parseInput(updateInput, args.input, 'input');
  if (input.title == null && input.archived == null) throw new BadUserInputError('input: give a title or archived', { field: 'input' });
  return auditedTransaction(ctx.prisma, ctx.audit, async (tx, audit) => {
    const updated = await tx.aIConversation.update({
      where: { id: conversation.id },
      data: { ...(input.title != null ? { title: input.title } : {}), ...(input.archived != null ? { archived: input.archived } : {}) },
    });
    audit({
      organizationId: conversation.organizationId,
      action: 'ai.conversation_updated',
      target: { type: 'ai_conversation', id: conversation.id },
      changes: { before: { archived: conversation.archived }, after: { archived: updated.archived, renamed: input.title != null } },
    });
    return updated;
  });
}
